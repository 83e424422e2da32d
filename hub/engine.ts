/**
 * The socket engine setting. SOCKET_ENGINE=uws must mean the native uWebSockets.js binary.
 *
 * The packaged build (`uWebSockets.js/src/uws.js`) quietly swaps in a slow JavaScript
 * implementation when the native binary does not load (wrong Node ABI, platform or libc) or
 * when UWS_USE_FALLBACK is set, printing only a warning. A hub that believes it runs on
 * uWebSockets.js while it does not would pass every test and fall over under load, so we
 * refuse to start instead and name the way out (SOCKET_ENGINE=ws).
 *
 * How: load the binary for this runtime by its exact path first (so a mismatch surfaces as a
 * caught error, not a warning), then load the package and check it handed back that very
 * module object; anything else means the fallback is in use.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Uws from 'uWebSockets.js';

/** The uWebSockets.js module as typed by the package. */
export type UwsModule = typeof Uws;

/** Either the native uWebSockets.js module or a refusal that says how to start without it. */
export type LoadUwsResult = { ok: true; uws: UwsModule } | { ok: false; code: 'engine.unavailable'; message: string };

/** Facts about the running process, injectable so tests can simulate another runtime. */
export interface UwsRuntime {
  /** Where UWS_USE_FALLBACK is read; default process.env at call time. */
  env?: Record<string, string | undefined>;
  /** e.g. '20.19.0'; default process.versions.node. */
  nodeVersion?: string;
  /** e.g. 'linux'; default process.platform. */
  platform?: string;
  /** e.g. 'x64'; default process.arch. */
  arch?: string;
  /** Node's module ABI, e.g. '115'; default process.versions.modules. */
  modules?: string;
}

const PACKAGE = 'uWebSockets.js';

/** The values for which the package itself switches to its fallback (mirrors src/uws.js). */
const FALLBACK_FLAG_VALUES = new Set(['true', 'True', 'TRUE', '1']);

/** Node module ABI versions to Node major versions, for messages. */
const NODE_MAJOR_BY_ABI: Readonly<Record<string, string>> = {
  '83': '14', '88': '15', '93': '16', '102': '17', '108': '18', '111': '19',
  '115': '20', '120': '21', '127': '22', '131': '23', '137': '24', '141': '25',
};

const ADVICE = "Start with SOCKET_ENGINE=ws to use socket.io's own ws engine.";

/**
 * Loads the native uWebSockets.js binary, or refuses with engine.unavailable when only the
 * JavaScript fallback would load (unsupported runtime, unloadable binary, or UWS_USE_FALLBACK).
 */
export function loadUwsOrRefuse(runtime: UwsRuntime = {}): LoadUwsResult {
  const env = runtime.env ?? process.env;
  const nodeVersion = runtime.nodeVersion ?? process.versions.node;
  const platform = runtime.platform ?? process.platform;
  const arch = runtime.arch ?? process.arch;
  const modules = runtime.modules ?? process.versions.modules;
  const require = createRequire(import.meta.url);

  const flag = env.UWS_USE_FALLBACK;
  if (flag !== undefined && FALLBACK_FLAG_VALUES.has(flag)) {
    return refuse(
      `SOCKET_ENGINE=uws needs the native uWebSockets.js binary, but UWS_USE_FALLBACK=${flag} forces its slow JavaScript fallback. ` +
        "Unset UWS_USE_FALLBACK, or start with SOCKET_ENGINE=ws to use socket.io's own ws engine.",
    );
  }

  const where = `Node ${nodeVersion} on ${platform}-${arch}`;
  const shipped = shippedFor(require, platform, arch);
  const binaryFile = `uws_${platform}_${arch}_${modules}.node`;
  let native: unknown;
  try {
    native = require(`${PACKAGE}/binaries/${binaryFile}`);
  } catch (error) {
    const reason = shipped.abis.includes(modules) ? `, which failed to load for ${where} (${firstLine(error)})` : `, which is not available for ${where}`;
    return refuse(`SOCKET_ENGINE=uws needs the native uWebSockets.js binary${reason} (${shipped.text}). ${ADVICE}`);
  }

  let loaded: unknown;
  try {
    loaded = require(PACKAGE);
  } catch (error) {
    return refuse(`SOCKET_ENGINE=uws: uWebSockets.js failed to load for ${where} (${firstLine(error)}). ${ADVICE}`);
  }
  if (loaded !== native) {
    return refuse(
      `SOCKET_ENGINE=uws needs the native uWebSockets.js binary, but the package loaded its JavaScript fallback for ${where} ` +
        `(UWS_USE_FALLBACK set in this process, or a mismatched binary; see its warning above). ${ADVICE}`,
    );
  }
  return { ok: true, uws: loaded as UwsModule };
}

let available: boolean | undefined;

/** True when the native uWebSockets.js binary loads in this process (checked once). */
export function nativeUwsAvailable(): boolean {
  available ??= loadUwsOrRefuse().ok;
  return available;
}

/** Which Node versions the package ships a binary for on this platform and architecture. */
function shippedFor(require: NodeJS.Require, platform: string, arch: string): { abis: string[]; text: string } {
  let files: string[];
  try {
    files = readdirSync(join(dirname(require.resolve(`${PACKAGE}/package.json`)), 'binaries'));
  } catch {
    return { abis: [], text: 'the package or its binaries directory is missing' };
  }
  const prefix = `uws_${platform}_${arch}_`;
  const abis = files
    .filter((f) => f.startsWith(prefix) && f.endsWith('.node'))
    .map((f) => f.slice(prefix.length, -'.node'.length))
    .sort((a, b) => Number(a) - Number(b));
  if (abis.length === 0) return { abis, text: `no binary is shipped for ${platform}-${arch}` };
  const versions = abis.map((abi) => NODE_MAJOR_BY_ABI[abi] ?? `ABI ${abi}`);
  return { abis, text: `shipped for Node ${versions.join('/')}` };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

function refuse(message: string): LoadUwsResult {
  return { ok: false, code: 'engine.unavailable', message };
}
