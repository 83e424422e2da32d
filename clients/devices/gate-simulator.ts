/**
 * A gate device on the command line: connects to a hub with a gate device token (over WebSocket),
 * scans each ticket QR token given in one direction and prints every verdict as one JSON line.
 *
 *   npx tsx clients/devices/gate-simulator.ts --url http://localhost:8080 --token <device token> \
 *       --direction entry|exit <ticket-qr-token>…
 *
 * Exit codes: 0 when every scan was answered (whatever the verdict), 1 when a scan was not
 * answered or was refused before a verdict (e.g. the token is not a gate's), 2 on bad arguments,
 * 3 when the hub could not be reached or refused the connection.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, GateScan, ScanVerdict, ServerToClientEvents } from '../../machines/contract/wire.js';
import type { Result } from '../../machines/errors.js';

type GateSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
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

/** Connects as a device; rejects with GateConnectionError when the hub is unreachable or refuses. */
export function connectGate(url: string, token: string, timeoutMs = 10_000): Promise<GateSocket> {
  const socket: GateSocket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
      socket.close();
      const code = error.data?.code;
      reject(new GateConnectionError(`could not connect to ${url}: ${error.data?.message ?? error.message}`, code));
    });
  });
}

/** Sends one `gate:scan` on an open gate socket and answers the hub's ack. */
export async function scanOn(socket: GateSocket, qr: string, direction: ScanDirection, nonce = freshNonce(), timeoutMs = 10_000): Promise<Result<ScanVerdict>> {
  const scan: GateScan = { token: qr, nonce, direction, at: Date.now() };
  return socket.timeout(timeoutMs).emitWithAck('gate:scan', scan);
}

/** Connects, scans one ticket and disconnects; answers the hub's ack (a verdict or a refusal). */
export async function scanOnce(options: ScanOptions): Promise<Result<ScanVerdict>> {
  const socket = await connectGate(options.url, options.token, options.timeoutMs);
  try {
    return await scanOn(socket, options.qr, options.direction, options.nonce, options.timeoutMs);
  } finally {
    socket.close();
  }
}

const USAGE = 'usage: gate-simulator --url http://localhost:8080 --token <device token> --direction entry|exit <ticket-qr-token>…';

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
      options: { url: { type: 'string', default: 'http://localhost:8080' }, token: { type: 'string' }, direction: { type: 'string', default: 'entry' } },
    });
  } catch (error) {
    warn(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { url, token, direction } = parsed.values;
  const qrs = parsed.positionals;
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
