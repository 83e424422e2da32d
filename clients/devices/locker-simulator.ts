/**
 * A locker bank on the command line: connects to a hub with a locker device token (over WebSocket;
 * or mints one for a zone with a super admin's token), hears the `locker:unlock` of its zone, and
 * asks the hub for a locker for a band or to open one. Every hub answer and every unlock prints as
 * one JSON line.
 *
 *   npx tsx clients/devices/locker-simulator.ts --url http://localhost:8080 --token <locker device token> <command>
 *   npx tsx clients/devices/locker-simulator.ts --url http://localhost:8080 --admin-token <super admin token> --zone waterpark <command>
 *
 *   claim --band <uid> [--size small|medium|large]   locker:claim  ─▶ the locker assigned to the band (state assigned)
 *   open --locker <id> --band <uid>                  locker:open   ─▶ {lockerId, bandUid, at}, then the bank's
 *                                                                   locker:unlock {"event":"locker:unlock",…}
 *                                                    another band ─▶ {"ok":false,"code":"locker.not_yours",…}
 *   listen                                           print every locker:unlock of the zone until Ctrl-C
 *
 * Exit codes: 0 when the hub accepted (and, for `open`, the unlock reached the bank), 1 when it
 * refused or did not answer, 2 on bad arguments, 3 when the hub could not be reached or refused
 * the connection.
 */
import { z } from 'zod';
import { LockerClaim, LockerOpen } from '../../machines/contract/wire.js';
import type { ActorState, LockerUnlock } from '../../machines/contract/wire.js';
import type { HubClient, HubResult } from '../sdk/index.js';
import { isMainModule, parseCli, runId } from './device-cli.js';
import { connectGate, freshNonce, GateConnectionError } from './gate-simulator.js';
import { issueDevice } from './visitor-flow.js';
import type { IssuedDevice } from './visitor-flow.js';

/** A locker bank's connection: the SDK's client. */
type LockerSocket = HubClient;
export type LockerSize = LockerClaim['size'];

/** Connects as a locker device; rejects with GateConnectionError when the hub is unreachable or refuses. */
export function connectLocker(url: string, token: string, timeoutMs = 10_000): Promise<LockerSocket> {
  return connectGate(url, token, timeoutMs);
}

/** Mints a locker bank device token for a zone (super admins only). */
export function issueLockerDevice(url: string, adminToken: string, zone: string, deviceId = `lockers-${zone}-${runId()}`): Promise<IssuedDevice> {
  return issueDevice(url, adminToken, { deviceId, deviceKind: 'locker', scope: { zone, lockerBankId: deviceId } });
}

/** `locker:claim`: a free locker of the size in the device's zone for the band; a retry with the same nonce answers the same locker. */
export async function claimOn(socket: LockerSocket, band: string, size: LockerSize, nonce = freshNonce(), timeoutMs = 10_000): Promise<HubResult<ActorState>> {
  return socket.claimLocker({ band, size, nonce }, { timeoutMs });
}

/** `locker:open`: the band tapped on the locker's reader; accepted only for the band the locker is assigned to. */
export async function openOn(socket: LockerSocket, lockerId: string, band: string, timeoutMs = 10_000): Promise<HubResult<LockerUnlock>> {
  return socket.openLocker({ lockerId, band }, { timeoutMs });
}

/** The `locker:unlock` messages a bank hears, from the moment it starts watching. */
export interface UnlockWatch {
  /** Every unlock heard so far, oldest first. */
  readonly seen: readonly LockerUnlock[];
  /** The first unlock (heard already or later) that matches, or undefined after `timeoutMs`. */
  next(match: (unlock: LockerUnlock) => boolean, timeoutMs?: number): Promise<LockerUnlock | undefined>;
  stop(): void;
}

/** Starts recording the unlocks the socket hears; `onUnlock` sees each one as it comes. */
export function watchUnlocks(socket: LockerSocket, onUnlock?: (unlock: LockerUnlock) => void): UnlockWatch {
  const seen: LockerUnlock[] = [];
  const waiters = new Set<() => void>();
  const listener = (unlock: LockerUnlock) => {
    seen.push(unlock);
    onUnlock?.(unlock);
    for (const waiter of waiters) waiter();
  };
  const stopListening = socket.on('locker:unlock', listener);
  return {
    seen,
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve) => {
        const check = () => {
          const found = seen.find(match);
          if (found) finish(found);
        };
        const finish = (found: LockerUnlock | undefined) => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: stopListening,
  };
}

const USAGE = [
  'usage: locker-simulator --url http://localhost:8080 (--token <locker device token> | --admin-token <super admin token> [--zone waterpark]) <command>',
  '       claim --band <uid> [--size small|medium|large] [--nonce <nonce>]   a locker for the band',
  '       open --locker <id> --band <uid> [--unlock-wait <ms>]              open it (only its band may)',
  '       listen                                                            print every locker:unlock of the zone',
].join('\n');

const COMMANDS = ['claim', 'open', 'listen'] as const;

const Args = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL of the hub' }),
    token: z.string().min(1).optional(),
    'admin-token': z.string().min(1).optional(),
    zone: LockerClaim.shape.zone.unwrap().default('waterpark'),
    'device-id': z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only').optional(),
    band: LockerOpen.shape.band.optional(),
    size: LockerClaim.shape.size.default('medium'),
    locker: LockerOpen.shape.lockerId.optional(),
    nonce: LockerClaim.shape.nonce.optional(),
    'unlock-wait': z.coerce.number().int().min(0).max(60_000).default(2_000),
  })
  .refine((a) => (a.token === undefined) !== (a['admin-token'] === undefined), { message: 'give exactly one of --token and --admin-token' });

const OPTIONS = {
  url: { type: 'string', default: 'http://localhost:8080' },
  token: { type: 'string' },
  'admin-token': { type: 'string' },
  zone: { type: 'string' },
  'device-id': { type: 'string' },
  band: { type: 'string' },
  size: { type: 'string' },
  locker: { type: 'string' },
  nonce: { type: 'string' },
  'unlock-wait': { type: 'string' },
} as const;

/**
 * Runs the command line; answers the exit code. `print` receives the hub's answers and the unlocks
 * (JSON lines), `warn` the errors and notes. `listen` runs until `stop` aborts (or SIGINT / SIGTERM).
 */
export async function runLockerSimulator(
  argv: readonly string[],
  print: (line: string) => void = (line) => console.log(line),
  warn: (line: string) => void = (line) => console.error(line),
  stop?: AbortSignal,
): Promise<number> {
  const args = parseCli(argv, OPTIONS, Args);
  if (!args.ok) {
    warn(`${args.message}\n${USAGE}`);
    return 2;
  }
  const options = args.values;
  const [command, ...extra] = args.positionals;
  if (!COMMANDS.some((c) => c === command) || extra.length > 0) {
    warn(`name one command: ${COMMANDS.join(', ')}\n${USAGE}`);
    return 2;
  }
  if ((command === 'claim' || command === 'open') && options.band === undefined) {
    warn(`${command} needs --band\n${USAGE}`);
    return 2;
  }
  if (command === 'open' && options.locker === undefined) {
    warn(`open needs --locker\n${USAGE}`);
    return 2;
  }

  let token = options.token;
  if (token === undefined) {
    try {
      const issued = await issueLockerDevice(options.url, options['admin-token'] ?? '', options.zone, options['device-id']);
      token = issued.token;
      warn(JSON.stringify({ event: 'device.issued', deviceId: issued.deviceId, deviceKind: 'locker', zone: options.zone, token: issued.token, expiresAt: issued.expiresAt }));
    } catch (error) {
      warn(JSON.stringify({ ok: false, code: (error as { code?: string }).code ?? 'device.not_issued', message: (error as Error).message }));
      return 3;
    }
  }

  let socket: LockerSocket;
  try {
    socket = await connectLocker(options.url, token);
  } catch (error) {
    const code = error instanceof GateConnectionError ? error.code : undefined;
    warn(JSON.stringify({ ok: false, code: code ?? 'connection.failed', message: (error as Error).message }));
    return 3;
  }
  const unlocks = watchUnlocks(socket, command === 'listen' ? (unlock) => print(JSON.stringify({ event: 'locker:unlock', ...unlock })) : undefined);
  try {
    if (command === 'listen') return await listen(socket, warn, stop);
    const band = options.band ?? '';
    if (command === 'claim') {
      const answer = await claimOn(socket, band, options.size, options.nonce);
      print(JSON.stringify(answer));
      return answer.ok ? 0 : 1;
    }
    const lockerId = options.locker ?? '';
    const answer = await openOn(socket, lockerId, band);
    print(JSON.stringify(answer));
    if (!answer.ok) return 1;
    const unlock = await unlocks.next((u) => u.lockerId === lockerId && u.bandUid === band, options['unlock-wait']);
    if (unlock === undefined) {
      warn(JSON.stringify({ ok: false, code: 'unlock.missing', message: `the hub accepted the opening but no locker:unlock for ${lockerId} reached this bank within ${options['unlock-wait']} ms` }));
      return 1;
    }
    print(JSON.stringify({ event: 'locker:unlock', ...unlock }));
    return 0;
  } catch (error) {
    print(JSON.stringify({ ok: false, code: 'locker.unanswered', message: (error as Error).message }));
    return 1;
  } finally {
    unlocks.stop();
    socket.close();
  }
}

/**
 * Holds the connection open until stopped or the session ends; 0 when stopped, 3 when the hub
 * ended the session. A dropped connection is reconnected by the SDK (noted on `warn`).
 */
function listen(socket: LockerSocket, warn: (line: string) => void, stop?: AbortSignal): Promise<number> {
  warn('listening for locker:unlock (Ctrl-C to stop)');
  const stopStatus = socket.onStatus((status, url) => {
    if (status === 'reconnecting') warn(JSON.stringify({ ok: false, code: 'connection.lost', message: `reconnecting to ${url}` }));
  });
  return new Promise((resolve) => {
    let finished = false;
    const done = (code: number) => {
      if (finished) return;
      finished = true;
      stopStatus();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop?.removeEventListener('abort', onAbort);
      resolve(code);
    };
    const onSignal = () => done(0);
    const onAbort = () => done(0);
    void socket.ended.then((end) => {
      warn(JSON.stringify({ ok: false, code: end.code, message: `session ended: ${end.message}` }));
      done(3);
    });
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    stop?.addEventListener('abort', onAbort);
    if (stop?.aborted) done(0);
  });
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await runLockerSimulator(process.argv.slice(2));
}
