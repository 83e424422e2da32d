/**
 * Staff alerts, persisted: every alert the floor (or the read side) raises becomes an alert actor,
 * so the dashboard shows what is open after a restart or a reconnect, and acknowledging and
 * resolving are recorded with who and when.
 *
 *   raise(floor alert | failure) ─▶ host.create('alert', id)   raising the same alert twice is one alert
 *   acknowledge(id, who) ─▶ alert.acknowledge      resolve(id, who, note?) ─▶ alert.resolve
 *
 * The change notices of alert actors reach the dashboard feed like every change (see feeds).
 */
import { alertDefinition } from '../../machines/alert.machine.js';
import type { AlertContext, AlertInput, AlertSeverity } from '../../machines/alert.schemas.js';
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { TypedActorView } from '../../machines/actor-definition.js';
import type { ActorHost } from '../actors/actor-host.js';
import type { Logger } from '../logger.js';

/** An alert as screens see it. */
export type AlertView = TypedActorView<AlertContext>;

/** What the alert service does. */
export interface AlertService {
  /** Raises a floor alert (idempotent by its alertId). */
  raiseFloor(alert: FloorAlert): Promise<void>;
  /** Raises any alert (idempotent by alertId). */
  raise(alert: Omit<AlertInput, 'raisedAt'>): Promise<void>;
  acknowledge(alertId: string, who: string): Promise<Result<AlertView>>;
  resolve(alertId: string, who: string, note?: string): Promise<Result<AlertView>>;
}

/** The actor id of an alert: its producer's id with characters actor ids do not take replaced. */
export function alertActorId(alertId: string): string {
  return alertId.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128);
}

const SEVERITY: Record<FloorAlert['type'], AlertSeverity> = {
  double_entry: 'critical',
  offline_admit_refused: 'critical',
  equipment_overdue: 'warning',
  locker_held_at_closing: 'warning',
};

/** One line for the dashboard, per kind of floor alert. */
function floorMessage(alert: FloorAlert): string {
  switch (alert.type) {
    case 'double_entry':
      return `ticket ${alert.ticketId} entered again at gate ${alert.gateId} while ${alert.state === 'inside' ? 'already inside' : 'used'}`;
    case 'offline_admit_refused':
      return `gate ${alert.gateId} admitted ticket ${alert.ticketId} offline, but ${alert.code}: ${alert.message}`;
    case 'equipment_overdue':
      return `item ${alert.itemId} (${alert.typeId}) is overdue on band ${alert.bandUid}`;
    case 'locker_held_at_closing':
      return `locker ${alert.lockerId} in zone ${alert.zone} is still held at closing`;
  }
}

/** Creates the alert service over the actor host. */
export function createAlertService(deps: { host: Pick<ActorHost, 'create' | 'send'>; clock: () => number; log: Logger }): AlertService {
  async function raise(alert: Omit<AlertInput, 'raisedAt'>): Promise<void> {
    const id = alertActorId(alert.alertId);
    const created = await deps.host.create(alertDefinition.kind, id, { ...alert, raisedAt: deps.clock() }, { who: 'system:alerts', eventId: `raise:${id}` });
    if (!created.ok && created.code !== 'actor.exists') deps.log.error('alert could not be recorded', { alertId: alert.alertId, code: created.code, message: created.message });
  }

  async function move(alertId: string, event: { type: 'alert.acknowledge' | 'alert.resolve'; note?: string }, who: string): Promise<Result<AlertView>> {
    const sent = await deps.host.send(alertDefinition.kind, alertActorId(alertId), { ...event, by: who, at: deps.clock() }, { who, eventId: null });
    if (!sent.ok) return sent.code === 'actor.not_found' ? refuse('actor.not_found', `no alert ${alertId}`) : sent;
    return accept(sent.data as AlertView);
  }

  return {
    raise,
    raiseFloor: (alert) =>
      raise({
        alertId: alert.alertId,
        type: alert.type,
        severity: SEVERITY[alert.type],
        message: floorMessage(alert),
        ...(alert.type === 'locker_held_at_closing' ? { zone: alert.zone } : {}),
        details: { ...alert },
      }),
    acknowledge: (alertId, who) => move(alertId, { type: 'alert.acknowledge' }, who),
    resolve: (alertId, who, note) => move(alertId, note === undefined ? { type: 'alert.resolve' } : { type: 'alert.resolve', note }, who),
  };
}
