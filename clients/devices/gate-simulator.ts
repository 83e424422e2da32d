/**
 * A gate device on the command line: connects to a hub with a gate device token (over WebSocket),
 * scans each ticket QR token given in one direction and prints every verdict as one JSON line.
 *
 *   npx tsx clients/devices/gate-simulator.ts --url http://localhost:8080 --token <device token> \
 *       --direction entry|exit <ticket-qr-token>…
 *
 * Offline mode: `--offline` judges the tokens locally from the gate's offline bundle (downloaded
 * from the hub into the state file when the file has none, or with `--refresh`) and queues each
 * passage; `--sync` uploads the queue when the hub is back and keeps what the hub did not settle.
 *
 *   npx tsx clients/devices/gate-simulator.ts --offline --state gate-b.json --url … --token … --direction entry <qr>…
 *   npx tsx clients/devices/gate-simulator.ts --sync --state gate-b.json --url … --token …
 *
 * Exit codes: 0 when every scan was answered (whatever the verdict), 1 when a scan was not
 * answered or was refused before a verdict (e.g. the token is not a gate's), 2 on bad arguments,
 * 3 when the hub could not be reached (the SDK's client.unreachable, after 10 s of tries) or refused
 * the connection (the handshake's code).
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GateSync } from '../../machines/contract/wire.js';
import type { ActorState, GateScan, ScanVerdict } from '../../machines/contract/wire.js';
import { connectHub, HubError } from '../sdk/index.js';
import type { HubClient, HubResult } from '../sdk/index.js';
import { createOfflineGate } from './offline-gate.js';
import type { OfflineGate } from './offline-gate.js';

/** A device's connection to the hub: the SDK's client (it reconnects through drains and drops). */
export type GateSocket = HubClient;
export type ScanDirection = GateScan['direction'];

/** One scan: the hub, the gate's device token, the ticket's QR token and the direction. */
export interface ScanOptions {
  url: string;
  token: string;
  qr: string;
  direction: ScanDirection;
  /** Reuse a nonce to retry a scan; a fresh random one otherwise. */
  nonce?: string;
  /** How long to wait for the connection and for the verdict; default 10 s. */
  timeoutMs?: number;
}

/** The hub could not be reached, or refused the device's connection. */
export class GateConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GateConnectionError';
  }
}

/** A fresh scan nonce (letters, digits, _ and -; 22 characters). */
export const freshNonce = (): string => randomBytes(16).toString('base64url');

/**
 * Connects as a device through the SDK (`connectHub`); rejects with GateConnectionError when the
 * hub is unreachable within `timeoutMs` or refuses the token.
 */
export async function connectGate(url: string, token: string, timeoutMs = 10_000): Promise<GateSocket> {
  const hub = connectHub({ url, token, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
  try {
    await hub.ready;
    return hub;
  } catch (error) {
    hub.close();
    const code = error instanceof HubError ? error.code : undefined;
    throw new GateConnectionError(`could not connect to ${url}: ${(error as Error).message}`, code);
  }
}

/** Sends one `gate:scan` and answers the hub's ack (or the SDK's `client.*` refusal when none came). */
export async function scanOn(socket: GateSocket, qr: string, direction: ScanDirection, nonce = freshNonce(), timeoutMs = 10_000): Promise<HubResult<ScanVerdict>> {
  return socket.scan({ token: qr, nonce, direction, at: Date.now() }, { timeoutMs });
}

/** Sends one `gate:scan` of a tapped wristband (its UID) and answers the hub's ack. */
export async function scanBandOn(socket: GateSocket, band: string, direction: ScanDirection, nonce = freshNonce(), timeoutMs = 10_000): Promise<HubResult<ScanVerdict>> {
  return socket.scan({ band, nonce, direction, at: Date.now() }, { timeoutMs });
}

/** Activates a wristband at the gate (`band:link`) on the ticket whose QR token the gate read; answers the band's state. */
export async function linkBandOn(socket: GateSocket, band: string, qr: string, timeoutMs = 10_000): Promise<HubResult<ActorState>> {
  return socket.linkBand({ band, token: qr }, { timeoutMs });
}

/** Connects, scans one ticket and disconnects; answers the hub's ack (a verdict or a refusal). */
export async function scanOnce(options: ScanOptions): Promise<HubResult<ScanVerdict>> {
  const socket = await connectGate(options.url, options.token, options.timeoutMs);
  try {
    return await scanOn(socket, options.qr, options.direction, options.nonce, options.timeoutMs);
  } finally {
    socket.close();
  }
}

const USAGE = [
  'usage: gate-simulator --url http://localhost:8080 --token <device token> --direction entry|exit <ticket-qr-token>…',
  '       gate-simulator --offline [--state gate-offline.json] [--refresh] --url … --token … --direction entry|exit <ticket-qr-token>…',
  '       gate-simulator --sync [--state gate-offline.json] --url … --token …',
].join('\n');

/** Where an offline gate keeps its bundle, local entry states and queue between runs. */
export const DEFAULT_OFFLINE_STATE_FILE = 'gate-offline.json';

type Print = (line: string) => void;

/** Reads the saved offline gate, or null when the file does not exist. */
async function loadOfflineGate(file: string): Promise<OfflineGate | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const saved = JSON.parse(text) as { bundle?: unknown; queue?: unknown };
  const queue = GateSync.shape.scans.safeParse(saved.queue);
  return createOfflineGate(saved.bundle, queue.success ? { queue: queue.data } : {});
}

async function saveOfflineGate(file: string, gate: OfflineGate): Promise<void> {
  await writeFile(file, `${JSON.stringify(gate.snapshot())}\n`, { mode: 0o600 });
}

/** Downloads the gate's offline bundle on an open socket. */
export async function downloadBundle(socket: GateSocket, timeoutMs = 10_000): Promise<OfflineGate> {
  const answer = await socket.offlineBundle({ timeoutMs });
  if (!answer.ok) throw new GateConnectionError(`the hub refused the offline bundle: ${answer.message}`, answer.code);
  return createOfflineGate(answer.data);
}

async function connectOrWarn(url: string, token: string, warn: Print): Promise<GateSocket | null> {
  try {
    return await connectGate(url, token);
  } catch (error) {
    const code = error instanceof GateConnectionError ? error.code : undefined;
    warn(JSON.stringify({ ok: false, code: code ?? 'connection.failed', message: (error as Error).message }));
    return null;
  }
}

/** `--offline`: judge every token locally (downloading the bundle first when there is none) and queue the passages. */
async function runOffline(options: { url: string; token: string; state: string; refresh: boolean; direction: ScanDirection; qrs: string[] }, print: Print, warn: Print): Promise<number> {
  let gate = options.refresh ? null : await loadOfflineGate(options.state);
  if (gate === null) {
    const socket = await connectOrWarn(options.url, options.token, warn);
    if (socket === null) return 3;
    try {
      gate = await downloadBundle(socket);
    } catch (error) {
      warn(JSON.stringify({ ok: false, code: (error as GateConnectionError).code ?? 'bundle.failed', message: (error as Error).message }));
      return 1;
    } finally {
      socket.close();
    }
  }
  for (const qr of options.qrs) print(JSON.stringify(await gate.scan({ token: qr }, options.direction)));
  await saveOfflineGate(options.state, gate);
  return 0;
}

/** `--sync`: upload the saved queue and keep what the hub did not settle. */
async function runSync(options: { url: string; token: string; state: string }, print: Print, warn: Print): Promise<number> {
  const gate = await loadOfflineGate(options.state);
  if (gate === null) {
    warn(`no offline state in ${options.state}: run --offline first`);
    return 2;
  }
  const socket = await connectOrWarn(options.url, options.token, warn);
  if (socket === null) return 3;
  try {
    const report = await gate.sync(socket);
    print(JSON.stringify(report));
    await saveOfflineGate(options.state, gate);
    return report.stopped === undefined ? 0 : 1;
  } finally {
    socket.close();
  }
}

/** Runs the command line; answers the exit code. `print` receives each verdict line, `warn` the errors. */
export async function runGateSimulator(
  argv: readonly string[],
  print: (line: string) => void = (line) => console.log(line),
  warn: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string', default: 'http://localhost:8080' },
        token: { type: 'string' },
        direction: { type: 'string', default: 'entry' },
        offline: { type: 'boolean', default: false },
        sync: { type: 'boolean', default: false },
        refresh: { type: 'boolean', default: false },
        state: { type: 'string', default: DEFAULT_OFFLINE_STATE_FILE },
      },
    });
  } catch (error) {
    warn(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { url, token, direction, offline, sync, refresh, state } = parsed.values;
  const qrs = parsed.positionals;
  const failed = (error: unknown) => {
    warn(JSON.stringify({ ok: false, code: 'offline.failed', message: `${state}: ${(error as Error).message}` }));
    return 1;
  };
  if (sync && !offline && token !== undefined && token !== '' && qrs.length === 0) return runSync({ url, token, state }, print, warn).catch(failed);
  if (offline && !sync && token !== undefined && token !== '' && qrs.length > 0 && (direction === 'entry' || direction === 'exit')) {
    return runOffline({ url, token, state, refresh, direction, qrs }, print, warn).catch(failed);
  }
  if (offline || sync) {
    warn(USAGE);
    return 2;
  }
  if (token === undefined || token === '' || qrs.length === 0 || (direction !== 'entry' && direction !== 'exit')) {
    warn(USAGE);
    return 2;
  }

  let socket: GateSocket;
  try {
    socket = await connectGate(url, token);
  } catch (error) {
    const code = error instanceof GateConnectionError ? error.code : undefined;
    warn(JSON.stringify({ ok: false, code: code ?? 'connection.failed', message: (error as Error).message }));
    return 3;
  }
  let exitCode = 0;
  try {
    for (const qr of qrs) {
      try {
        const answer = await scanOn(socket, qr, direction);
        print(JSON.stringify(answer));
        if (!answer.ok) exitCode = 1;
      } catch (error) {
        print(JSON.stringify({ ok: false, code: 'scan.unanswered', message: (error as Error).message }));
        exitCode = 1;
      }
    }
  } finally {
    socket.close();
  }
  return exitCode;
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await runGateSimulator(process.argv.slice(2));
}
