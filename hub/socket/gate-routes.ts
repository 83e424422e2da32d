/**
 * Gate devices on the venue floor.
 *
 *   gate:scan ─▶ gate device bound to a gate? ──no──▶ auth.forbidden (audited)
 *             ─▶ scan service (gateId and zone from the device token) ─▶ ack {ok: true, data: verdict}
 *
 * A refusal of the ticket is a verdict (`{verdict: 'refused', code}`), not a failed ack: the ack
 * fails only when the scan could not be judged (not a gate, malformed payload, hub draining).
 */
import type { ScanVerdict } from '../../machines/contract/wire.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ScanService } from '../../workers/gates/scan-service.js';
import type { HubMetrics } from '../metrics.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { mayScan } from '../policy/role-policy.js';
import { route } from './inbound.js';
import type { Route } from './inbound.js';

/** What the gate routes need. */
export interface GateRouteDeps {
  /** Absent when the node has no ticket verifier: every scan is then refused. */
  scans: ScanService | undefined;
  trail: AuditTrail;
  /** Counts verdicts (vh_gate_scans_total). */
  metrics?: Pick<HubMetrics, 'scanned'>;
}

/** The route of `gate:scan`. */
export function gateRoutes(deps: GateRouteDeps): { 'gate:scan': Route } {
  return {
    'gate:scan': route('gate:scan', async ({ principal }, scan): Promise<Result<ScanVerdict>> => {
      const decision = mayScan(principal);
      if (!decision.allowed) return deps.trail.deny(principal, 'gate.scan', null, decision);
      if (principal.kind !== 'device' || principal.scope.gateId === undefined) return refuse('auth.forbidden', 'only gate devices scan tickets');
      if (deps.scans === undefined) return refuse('internal', 'this hub node cannot verify tickets');
      const { gateId, zone } = principal.scope;
      const verdict = await deps.scans.scan({ ...scan, gateId, ...(zone === undefined ? {} : { zone }) }, principal.deviceId);
      deps.metrics?.scanned(verdict.verdict);
      return accept(verdict);
    }),
  };
}
