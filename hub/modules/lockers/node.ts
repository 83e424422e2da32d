/**
 * The lockers module on a node: once the runtime runs, lockers still assigned at the venue's
 * closing time (VENUE_CLOSES_AT, venue time) raise a staff alert.
 */
import { z } from 'zod';
import { watchClosingTime } from '../../../workers/lockers/closing-time.js';
import { lockersRuntime } from '../../../workers/lockers/lockers.module.js';
import { nodePartOf } from '../node-part.js';

/** The lockers module's variables. */
export const LockersSettings = z.object({
  /** Local closing time (HH:MM, venue time zone): lockers still assigned then raise an alert. */
  VENUE_CLOSES_AT: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM, e.g. VENUE_CLOSES_AT=22:00' })
    .default('22:00'),
});

export const lockersNode = nodePartOf(lockersRuntime, {
  settings: LockersSettings,
  async open({ config, clock, log }, settings) {
    return {
      lends: undefined,
      started(runtime) {
        const closing = watchClosingTime({
          lockers: runtime.lockers,
          closesAt: settings.VENUE_CLOSES_AT,
          timeZone: config.VENUE_TIME_ZONE,
          alert: (alert) => runtime.alert(alert),
          clock,
          log: log.child({ part: 'floor' }),
        });
        return () => closing.stop();
      },
    };
  },
});
