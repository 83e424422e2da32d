/**
 * Zod catalog of the staff alert actor: what raises it, what staff send it, how it is stored.
 * An alert is raised by the system (a double entry, an overdue rental, a locker held at closing,
 * a projection that stopped), acknowledged by a staff member (who and when) and resolved.
 */
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Who = z.string().min(1).max(160);
const EpochMs = z.number().int().nonnegative();

/** Every state of the alert machine, in lifecycle order. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertState = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertState>;

/** How urgent an alert is (dashboards sort and colour by it). */
export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** What raises an alert. `details` carries the producer's own fields (e.g. the floor alert). */
export const AlertInput = z.object({
  /** The producer's stable id (the effect or check it came from): raising twice is one alert. */
  alertId: Id,
  /** e.g. `double_entry`, `equipment_overdue`, `locker_held_at_closing`, `projection_failed`. */
  type: z.string().min(1).max(64),
  severity: AlertSeverity,
  /** One line for the dashboard. */
  message: z.string().min(1).max(500),
  /** The zone it concerns, when it concerns one (a zone feed shows it). */
  zone: z.string().min(1).max(128).optional(),
  details: z.record(z.string(), z.unknown()),
  raisedAt: EpochMs,
});
export type AlertInput = z.infer<typeof AlertInput>;

/** The machine context: the input plus who acknowledged and resolved it, and when. */
export const AlertContext = AlertInput.extend({
  acknowledgedBy: Who.optional(),
  acknowledgedAt: EpochMs.optional(),
  resolvedBy: Who.optional(),
  resolvedAt: EpochMs.optional(),
  note: z.string().max(500).optional(),
});
export type AlertContext = z.infer<typeof AlertContext>;

/** Every event staff (or the system) may send. */
export const AlertEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alert.acknowledge'), by: Who, at: EpochMs }),
  z.object({ type: z.literal('alert.resolve'), by: Who, at: EpochMs, note: z.string().max(500).optional() }),
]);
export type AlertEvent = z.infer<typeof AlertEvent>;

/** The persisted snapshot of the current machine version. */
export const AlertPersisted = z.object({
  status: z.enum(['active', 'done']),
  value: AlertState,
  context: AlertContext,
  historyValue: z.strictObject({}),
  children: z.strictObject({}),
});

/**
 * The facts callers ask of an alert (XState state tags, set on the machine's states):
 *
 *   unresolved   still on the dashboard (open or acknowledged)
 *   unseen       nobody acknowledged it yet
 */
export const ALERT_TAGS = ['unresolved', 'unseen'] as const;
export type AlertTag = (typeof ALERT_TAGS)[number];
