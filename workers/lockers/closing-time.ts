/**
 * Lockers still held at closing time raise an alert, once per locker per day.
 *
 *   every minute: past today's closing time (venue time zone) and not yet checked today?
 *     ─▶ every assigned locker ─▶ floor alert `locker_held_at_closing` (alert id closing:<date>:<locker>)
 *
 * Each node checks the lockers it knows; the alert id is the same on every node, so a screen that
 * sees it twice shows it once. A node started after closing checks at once.
 */
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { LockerContext } from '../../machines/locker.schemas.js';
import { localDate, zonedTime } from '../catalog/venue-time.js';
import type { Logger } from '../logger.js';
import type { LockerService } from './locker-service.js';

export interface ClosingTimeDeps {
  lockers: Pick<LockerService, 'assigned'>;
  /** `HH:MM`, venue-local. */
  closesAt: string;
  timeZone: string;
  alert: (alert: FloorAlert) => void;
  clock: () => number;
  log: Logger;
  /** How often to look; default one minute. */
  everyMs?: number;
}

/** Checks once: alerts every locker still assigned if today's closing time has passed. Returns how many. */
export async function checkClosingTime(deps: Omit<ClosingTimeDeps, 'everyMs'>, alreadyChecked: string | undefined): Promise<{ date: string; alerted: number } | null> {
  const now = deps.clock();
  const date = localDate(now, deps.timeZone);
  if (date === alreadyChecked || now < zonedTime(date, deps.closesAt, deps.timeZone)) return null;
  const held = await deps.lockers.assigned();
  for (const locker of held) {
    const context = locker.context as LockerContext;
    deps.alert({
      type: 'locker_held_at_closing',
      alertId: `closing:${date}:${locker.id}`,
      lockerId: locker.id,
      zone: context.zone,
      ...(context.bookingId === undefined ? {} : { bookingId: context.bookingId }),
      ...(context.since === undefined ? {} : { since: context.since }),
      at: now,
    });
  }
  if (held.length > 0) deps.log.warn('lockers still held at closing time', { date, lockers: held.map((l) => l.id) });
  return { date, alerted: held.length };
}

/** Starts the minute check; `stop()` ends it. */
export function watchClosingTime(deps: ClosingTimeDeps): { stop(): void } {
  let checked: string | undefined;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    checkClosingTime(deps, checked)
      .then((result) => {
        if (result) checked = result.date;
      })
      .catch((error: unknown) => deps.log.error('closing-time locker check failed', { error: String(error) }))
      .finally(() => (running = false));
  };
  const timer = setInterval(tick, deps.everyMs ?? 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
