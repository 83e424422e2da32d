/**
 * The lockers module on a node: once the runtime runs, lockers still assigned at the venue's
 * closing time (VENUE_CLOSES_AT, venue time) raise a staff alert.
 */
import { watchClosingTime } from '../../../workers/lockers/closing-time.js';
import { lockersRuntime } from '../../../workers/lockers/lockers.module.js';
import { nodePartOf } from '../node-part.js';

export const lockersNode = nodePartOf(lockersRuntime, {
  async open({ config, clock, log }) {
    return {
      lends: undefined,
      started(runtime) {
        const closing = watchClosingTime({
          lockers: runtime.lockers,
          closesAt: config.VENUE_CLOSES_AT,
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
