/**
 * Rate and failure limits as pure rules over a stored counter, applied with compare-and-set so
 * that concurrent requests on several nodes cannot slip past a limit:
 *
 *   send throttle (key send:<address hash>)   at most 1 per `gapMs`, `max` per `windowMs`
 *   failure lock  (key fail:<subject>)         `max` failures per `windowMs` ─▶ locked for `lockMs`
 *
 *   get ─▶ rule(current) ─▶ put(next, rev) ── lost the race ─▶ get again (bounded)
 */
import type { GuardRecord, GuardRepository } from './account-store.js';

/** A throttle: minimum gap between events and a cap per fixed window. */
export interface ThrottleRule {
  gapMs: number;
  max: number;
  windowMs: number;
}

/** A lockout: `max` failures inside `windowMs` lock the key for `lockMs`. */
export interface LockRule {
  max: number;
  windowMs: number;
  lockMs: number;
}

/** Outcome of a rule: allowed, or refused until `retryAt`. */
export type GuardVerdict = { allowed: true; lockedUntil: number | null } | { allowed: false; retryAt: number };

const fresh = (key: string, at: number): GuardRecord => ({ key, rev: 0, windowStart: at, count: 0, lastAt: null, lockedUntil: null });

/** Records one event under a throttle unless it is refused. Pure. */
export function throttleStep(current: GuardRecord, rule: ThrottleRule, at: number): { verdict: GuardVerdict; next: GuardRecord | null } {
  if (current.lastAt !== null && at - current.lastAt < rule.gapMs) return { verdict: { allowed: false, retryAt: current.lastAt + rule.gapMs }, next: null };
  const inWindow = at - current.windowStart < rule.windowMs;
  const count = inWindow ? current.count : 0;
  if (count >= rule.max) return { verdict: { allowed: false, retryAt: current.windowStart + rule.windowMs }, next: null };
  const next = { ...current, windowStart: inWindow ? current.windowStart : at, count: count + 1, lastAt: at };
  return { verdict: { allowed: true, lockedUntil: null }, next };
}

/** Records one failure; the failure that reaches `max` locks the key. Pure. */
export function failureStep(current: GuardRecord, rule: LockRule, at: number): GuardRecord {
  const inWindow = at - current.windowStart < rule.windowMs;
  const count = (inWindow ? current.count : 0) + 1;
  if (count >= rule.max) return { ...current, windowStart: at, count: 0, lastAt: at, lockedUntil: at + rule.lockMs };
  return { ...current, windowStart: inWindow ? current.windowStart : at, count, lastAt: at };
}

/** How many times a guard update retries after losing a compare-and-set race. */
const CAS_ATTEMPTS = 8;

/** Guard operations over a repository. */
export interface Guards {
  /** Counts one send under the throttle, or refuses it. */
  throttle(key: string, rule: ThrottleRule, at: number): Promise<GuardVerdict>;
  /** The time the key stays locked until, or null when it is not locked at `at`. */
  lockedUntil(key: string, at: number): Promise<number | null>;
  /** Counts one failure; returns the lock end when this failure locked the key (or it was locked). */
  fail(key: string, rule: LockRule, at: number): Promise<number | null>;
  /** Forgets the key's failures, sends and lock (support's unlock); returns the record as it was, or null. */
  clear(key: string, at: number): Promise<GuardRecord | null>;
}

/** Creates the guard operations. */
export function createGuards(repo: GuardRepository): Guards {
  async function update<T>(key: string, at: number, step: (current: GuardRecord) => { result: T; next: GuardRecord | null }): Promise<T> {
    for (let i = 0; i < CAS_ATTEMPTS; i++) {
      const current = (await repo.get(key)) ?? fresh(key, at);
      const { result, next } = step(current);
      if (next === null || (await repo.put(next, current.rev))) return result;
    }
    throw new Error(`guard ${key}: too much contention, try again`);
  }

  return {
    throttle: (key, rule, at) =>
      update(key, at, (current) => {
        const { verdict, next } = throttleStep(current, rule, at);
        return { result: verdict, next };
      }),
    async lockedUntil(key, at) {
      const current = await repo.get(key);
      return current?.lockedUntil != null && current.lockedUntil > at ? current.lockedUntil : null;
    },
    fail: (key, rule, at) =>
      update(key, at, (current) => {
        if (current.lockedUntil !== null && current.lockedUntil > at) return { result: current.lockedUntil, next: null };
        const next = failureStep(current, rule, at);
        return { result: next.lockedUntil !== null && next.lockedUntil > at ? next.lockedUntil : null, next };
      }),
    clear: (key, at) =>
      update(key, at, (current) => {
        if (current.rev === 0) return { result: null, next: null };
        return { result: current, next: { ...current, windowStart: at, count: 0, lastAt: null, lockedUntil: null } };
      }),
  };
}
