/**
 * A throwaway `redis-server` for cross-node tests and benches: no persistence, loopback only,
 * on a port that stays the same across stop/start so hub nodes can reconnect to it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { exitOf, stopChild, track } from './children.js';
import { freePort } from './free-port.js';

/** A running (or stopped) redis-server on a fixed port. */
export interface RedisProcess {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Stops it (SIGTERM, then SIGKILL after 3 s); in-memory data is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers PING. */
  start(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** One PING over a fresh TCP connection; true on +PONG. */
  ping(timeoutMs?: number): Promise<boolean>;
}

/** Options of `startRedis`. */
export interface StartRedisOptions {
  /** Default: a free port. */
  port?: number;
  /** Default `redis-server` from PATH. */
  binary?: string;
  /** How long to wait for the first PONG, ms (default 10 000). */
  readyTimeoutMs?: number;
}

/** Starts `redis-server --port <port> --save '' --appendonly no` and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const binary = options.binary ?? 'redis-server';
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let output = '';

  const ping = (timeoutMs = 500) => pingRedis(port, timeoutMs);

  async function start(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) return;
    output = '';
    const spawned = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    track(spawned);
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    spawned.stdout?.on('data', collect);
    spawned.stderr?.on('data', collect);
    const failed = new Promise<never>((_, reject) => {
      spawned.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}; install redis-server (apt-get install redis-server)`)));
      void exitOf(spawned).then(({ code, signal }) => reject(new Error(`redis-server exited (${code ?? signal}) before answering PING:\n${output}`)));
    });
    failed.catch(() => {}); // only raced below
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await Promise.race([ping(), failed]))) {
      if (Date.now() > deadline) {
        await stopChild(spawned, 'SIGKILL', 0);
        throw new Error(`redis-server on port ${port} did not answer PING within ${readyTimeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function stop(): Promise<void> {
    if (!child) return;
    await stopChild(child, 'SIGTERM', 3_000);
    child = undefined;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    ping,
  };
}

/** Sends `PING` in the inline protocol and waits for `+PONG`. */
export function pingRedis(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}
