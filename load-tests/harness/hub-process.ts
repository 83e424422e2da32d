/**
 * One hub node as a real OS process (`node --import tsx hub/main.ts`), for cross-node tests
 * and benches: configured only through its environment, found through its start-up output.
 *
 *   spawn ──stdout──▶ {"event":"hub.ready","url":"http://127.0.0.1:<port>",…}  → url, port
 *                            "  super_admin demo-admin:  eyJ…"          → adminToken (SEED_DEMO)
 *                            "  visitor     demo-visitor: eyJ…"         → visitorToken
 *   kill()  = SIGTERM (graceful drain)      kill9() = SIGKILL (crash)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOf, stopChild, track } from './children.js';
import type { ChildExit } from './children.js';

/** The repository root (this file lives in load-tests/harness/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Options of `startHubNode`. */
export interface HubNodeOptions {
  /** DATA_DIR: nodes sharing one directory share the SQLite store and the signing keys. */
  dataDir: string;
  /** REDIS_URL; omitted = in-process fan-out only. */
  redisUrl?: string;
  /** PORT; 0 (default) lets the OS choose, read back from the output. */
  port?: number;
  /** NODE_ID (default `hub-<pid of this process>-<n>`). */
  nodeId?: string;
  /** SEED_DEMO (default true). */
  seedDemo?: boolean;
  /** LOG_LEVEL (default info). */
  logLevel?: 'debug' | 'info';
  /** SOCKET_ENGINE (default: the hub's own choice, uws where its native binary exists, else ws). */
  engine?: 'uws' | 'ws';
  /** More variables, applied last. */
  env?: Record<string, string>;
  /** Fail when the node has not printed its URL by then, ms (default 30 000). */
  startTimeoutMs?: number;
  /** After the URL, wait this long for the demo token lines if they have not come yet, ms (default 2 000). */
  tokenGraceMs?: number;
  /** Copy the node's output to this process's stderr, each line prefixed with its NODE_ID. */
  echo?: boolean;
  /** Extra `node` flags, e.g. `--max-old-space-size=4096`. */
  nodeArgs?: string[];
}

/** A running hub node. */
export interface HubNode {
  readonly nodeId: string;
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The demo super_admin token the node printed at start (SEED_DEMO), if it printed one. */
  readonly adminToken: string | undefined;
  /** The demo visitor token the node printed at start, if it printed one. */
  readonly visitorToken: string | undefined;
  /** Resolves when the process exits. */
  readonly exited: Promise<ChildExit>;
  /** Everything the node printed so far (the last 256 KB). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (past or future). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resident set size of the node process in bytes (Linux /proc), undefined once it exited. */
  rssBytes(): number | undefined;
  /** CPU time the node process has used so far (user + system, seconds; Linux /proc). */
  cpuSeconds(): number | undefined;
  /** Graceful stop: SIGTERM (the node drains), SIGKILL after `graceMs` (default 20 000). */
  kill(signal?: NodeJS.Signals, graceMs?: number): Promise<ChildExit>;
  /** Crash: SIGKILL. */
  kill9(): Promise<ChildExit>;
}

/** The node's machine-readable ready line (printed whatever LOG_LEVEL is). */
const URL_LINE = /"event":"hub\.ready","url":"(https?:\/\/[^"]+)"/;
// hub/main.ts prints "  super_admin demo-admin:    <jwt>" and "  visitor     demo-visitor:  <jwt>".
const ADMIN_TOKEN_LINE = /^\s*super_admin\s+\S+:\s+(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)/m;
const VISITOR_TOKEN_LINE = /^\s*visitor\s+\S+:\s+(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)/m;
const OUTPUT_LIMIT = 256 * 1024;
let started = 0;

/** Spawns a hub node and resolves once it has printed the URL it listens on. */
export async function startHubNode(options: HubNodeOptions): Promise<HubNode> {
  const nodeId = options.nodeId ?? `hub-${process.pid}-${++started}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env['REDIS_URL'];
  delete env['NODE_OPTIONS']; // vitest's loader hooks must not leak into the node
  Object.assign(env, {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    NODE_ID: nodeId,
    SEED_DEMO: String(options.seedDemo ?? true),
    LOG_LEVEL: options.logLevel ?? 'info',
    ...(options.engine === undefined ? {} : { SOCKET_ENGINE: options.engine }),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', './hub/loader/register.mjs', 'hub/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const exited = exitOf(child);

  let output = '';
  const watchers = new Set<() => void>();
  const onChunk = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_LIMIT);
    if (options.echo) for (const line of text.split('\n')) if (line.length > 0) process.stderr.write(`[${nodeId}] ${line}\n`);
    for (const watcher of watchers) watcher();
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);

  function waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match) finish(() => resolvePromise(match));
      };
      const finish = (then: () => void) => {
        clearTimeout(timer);
        watchers.delete(check);
        then();
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${nodeId} did not print ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-4_000)}`))), timeoutMs);
      void exited.then(({ code, signal }) => finish(() => reject(new Error(`${nodeId} exited (${code ?? signal}) before printing ${pattern}; output:\n${output.slice(-4_000)}`))));
      watchers.add(check);
      check();
    });
  }

  let url: string;
  try {
    const match = await waitForOutput(URL_LINE, options.startTimeoutMs ?? 30_000);
    url = (match[1] ?? '').replace(/\/+$/, '');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const port = Number(new URL(url).port);
  let adminToken = output.match(ADMIN_TOKEN_LINE)?.[1];
  if (adminToken === undefined && (options.seedDemo ?? true) && (options.tokenGraceMs ?? 2_000) > 0) {
    adminToken = await waitForOutput(ADMIN_TOKEN_LINE, options.tokenGraceMs ?? 2_000).then(
      (m) => m[1],
      () => undefined,
    );
  }
  const visitorToken = output.match(VISITOR_TOKEN_LINE)?.[1];
  const pid = child.pid ?? -1;

  return {
    nodeId,
    url,
    port,
    pid,
    adminToken,
    visitorToken,
    exited,
    output: () => output,
    waitForOutput,
    rssBytes: () => readRssBytes(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    kill: (signal = 'SIGTERM', graceMs = 20_000) => stopChild(child, signal, graceMs),
    kill9: () => stopChild(child, 'SIGKILL', 0),
  };
}

/** VmRSS of a process in bytes from /proc/<pid>/status (Linux), or undefined. */
export function readRssBytes(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in seconds from /proc/<pid>/stat (Linux), or undefined. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces) start at "state"; utime and stime are the 12th and 13th of those.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
