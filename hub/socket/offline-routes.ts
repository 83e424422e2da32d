/**
 * Gates that keep admitting while the hub is unreachable.
 *
 *   gate:offline_bundle {} ─▶ gate device bound to a gate? ──no──▶ auth.forbidden (audited)
 *                          ─▶ audit row (the bundle names today's ticket holders)
 *                          ─▶ bundle for the gate's zone ─▶ ack {ok: true, data: OfflineBundle}
 *   gate:sync {scans}      ─▶ gate device bound to a gate? ──no──▶ auth.forbidden (audited)
 *                          ─▶ offline sync (gateId and zone from the device token) ─▶ ack {results}
 *
 * A scan the hub does not record is a result (`{recorded: false, code}`), not a failed ack: the ack
 * fails only when the upload could not be judged (not a gate, malformed or oversized payload).
 */
import type { GateSynced, OfflineBundle } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { OfflineBundles } from '../../workers/gates/offline-bundle.js';
import type { OfflineSync } from '../../workers/gates/offline-sync.js';
import type { DevicePrincipal, Principal } from '../auth/tokens.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayWorkOffline } from '../policy/role-policy.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** What the offline gate routes need. */
export interface OfflineRouteDeps {
  /** Absent when the node cannot build bundles (no catalog or ticket keys): requests are then refused. */
  bundles: OfflineBundles | undefined;
  /** Absent when the node has no ticket verifier: uploads are then refused. */
  sync: OfflineSync | undefined;
  trail: AuditTrail;
}

type BoundGate = DevicePrincipal & { scope: { gateId: string } };

const isBoundGate = (principal: Principal): principal is BoundGate => principal.kind === 'device' && principal.scope.gateId !== undefined;

/** The routes of `gate:offline_bundle` and `gate:sync`. */
export function offlineRoutes(deps: OfflineRouteDeps): { 'gate:offline_bundle': Route; 'gate:sync': Route } {
  return {
    'gate:offline_bundle': route('gate:offline_bundle', async ({ principal }): Promise<Result<OfflineBundle>> => {
      const decision = mayWorkOffline(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'gate.offline_bundle', null, decision);
      if (!isBoundGate(principal)) return refuse('auth.forbidden', 'only gate devices work offline');
      if (deps.bundles === undefined) return refuse('internal', 'this hub node cannot build offline bundles');
      const { gateId, zone } = principal.scope;
      if (!(await deps.trail.allow(principal, 'gate.offline_bundle', `gate/${gateId}`, zone === undefined ? {} : { zone }))) {
        return refuse('store.unavailable', 'the download could not be audited; retry');
      }
      return deps.bundles.bundle({ gateId, ...(zone === undefined ? {} : { zone }) });
    }),

    'gate:sync': route('gate:sync', async ({ principal }, { scans }): Promise<Result<GateSynced>> => {
      const decision = mayWorkOffline(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'gate.sync', null, decision, { scans: scans.length });
      if (!isBoundGate(principal)) return refuse('auth.forbidden', 'only gate devices upload offline scans');
      if (deps.sync === undefined) return refuse('internal', 'this hub node cannot verify tickets');
      const { gateId, zone } = principal.scope;
      return accept(await deps.sync.sync({ scans, gateId, ...(zone === undefined ? {} : { zone }) }, principal.deviceId));
    }),
  };
}
