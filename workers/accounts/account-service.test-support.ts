/**
 * A real accounts service for tests: SQLite files in a temp directory (actor store for audit and
 * revocations, accounts store beside it), a manual clock, a recording `sendOtp`, a hasher that
 * counts its calls and an optional deterministic random source.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../logger.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import type { AccountStore, OtpChannel } from './account-store.js';
import { createAccountService, type AccountService } from './account-service.js';
import type { AccountLimits, OtpMessage } from './otp-challenges.js';
import { createSecretHasher, type RandomSource, type SecretHasher } from './secrets.js';
import { openSqliteAccountStore } from './sqlite-account-store.js';

/** One recorded send. */
export interface SentOtp {
  channel: OtpChannel;
  to: string;
  message: OtpMessage;
}

/** A deterministic random source whose sequence can be rewound. */
export interface SeededRandom extends RandomSource {
  reset(seed: number): void;
}

/** Counter-based bytes and integers: the same seed gives the same sequence. */
export function seededRandom(seed = 1): SeededRandom {
  let n = seed;
  const block = () => createHash('sha256').update(`seed:${n++}`).digest();
  return {
    bytes: (count) => Buffer.concat([block(), block()]).subarray(0, count),
    int: (max) => block().readUInt32BE(0) % max,
    reset(next) {
      n = next;
    },
  };
}

/** A service under test with everything it touched. */
export interface AccountsHarness {
  service: AccountService;
  accounts: AccountStore;
  actors: ActorStore;
  sent: SentOtp[];
  hashCalls: { count: number };
  now: { value: number };
  advance(ms: number): void;
  /** Waits for background sends and returns the latest one to `to`. */
  lastSent(to: string): Promise<SentOtp>;
  /** Registers and verifies a visitor, returning their user id. */
  verifiedVisitor(email: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Waits until work queued with setImmediate (background sends) has run. */
export async function flushBackground(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

/** Opens a fresh harness; `random` and `limits` are optional overrides. */
export async function openAccountsHarness(options: { random?: RandomSource; limits?: Partial<AccountLimits>; start?: number } = {}): Promise<AccountsHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'venue-hub-account-service-'));
  const file = join(dir, 'hub.db');
  const actors = openSqliteActorStore({ file });
  const accounts = openSqliteAccountStore({ file });
  const sent: SentOtp[] = [];
  const hashCalls = { count: 0 };
  const real = createSecretHasher(Buffer.alloc(32, 7));
  const hasher: SecretHasher = {
    hash(purpose, value) {
      hashCalls.count++;
      return real.hash(purpose, value);
    },
    matches(purpose, value, stored) {
      hashCalls.count++;
      return real.matches(purpose, value, stored);
    },
  };
  const now = { value: options.start ?? Date.UTC(2025, 5, 1, 9, 0, 0) };
  const service = createAccountService({
    store: accounts,
    access: actors,
    hasher,
    sendOtp: async (channel, to, message) => {
      sent.push({ channel, to, message });
    },
    clock: () => now.value,
    ...(options.random ? { random: options.random } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    linkBase: 'https://venue.example/verify',
    log: silentLogger,
  });

  async function lastSent(to: string): Promise<SentOtp> {
    await flushBackground();
    const found = sent.filter((s) => s.to === to).at(-1);
    if (!found) throw new Error(`nothing was sent to ${to}`);
    return found;
  }

  return {
    service,
    accounts,
    actors,
    sent,
    hashCalls,
    now,
    advance: (ms) => {
      now.value += ms;
    },
    lastSent,
    async verifiedVisitor(email, name = 'Visitor') {
      const registered = await service.register({ name, email });
      if (!registered.ok) throw new Error(registered.message);
      const { message } = await lastSent(email);
      const verified = await service.verify({ verificationId: registered.data.verificationId, code: message.code });
      if (!verified.ok) throw new Error(verified.message);
      return verified.data.userId;
    },
    async close() {
      await accounts.close();
      await actors.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
