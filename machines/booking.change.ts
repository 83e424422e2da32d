/**
 * Changes of a paid booking by a booking admin (machine version 5): another slot of the same
 * activity and/or another party, priced again from the catalog. Pure functions of the context
 * and one event, used by the booking machine's guards and actions.
 *
 *   difference = new total − old total
 *     < 0   applied at once; the difference goes back through the refund path (refund.request,
 *           reason `change`, split over the booking's payments by the booking service)
 *     = 0   applied at once; no money moves
 *     > 0   the admin waives it: applied at once, nothing to pay
 *           or the visitor pays it: the change waits (pendingChange, its new places reserved)
 *           until a payment of the difference is captured, then it is applied; unpaid by its
 *           deadline, withdrawn, overtaken by the check-in or a cancellation: it lapses and the
 *           reserved places go back (a payment arriving afterwards is refunded automatically)
 *
 *   applied: slot, lines, add-ons, total and people replaced; the tickets reissued (the current
 *   ones revoked by number, new ones numbered after them); the visitor told (booking.changed)
 *
 * A booking with tickets cancelled by a partial refund is not changed (its lines no longer say who
 * is coming): the booking service refuses it before anything moves.
 */
import type { BookingChangeRecord, BookingContext, BookingEvent, BookingLine, BookingAddOn, ChangeSettlement, PendingChange } from './booking.schemas.js';
import { MAX_CHANGES_KEPT, peopleOf } from './booking.schemas.js';
import { refundable, usesPayment } from './booking.money.js';

type ChangeEvent = Extract<BookingEvent, { type: 'booking.change' }>;

/** What a change puts in place: the new slot, party and price. */
export interface ChangeTarget {
  changeId: string;
  adminId: string;
  at: number;
  slotId: string;
  lines: BookingLine[];
  addOns?: BookingAddOn[] | undefined;
  requiresApproval: boolean;
}

/** The total of a set of lines and add-ons, halalas. */
export function totalOf(lines: readonly BookingLine[], addOns: readonly BookingAddOn[] = []): number {
  return lines.reduce((sum, line) => sum + line.qty * line.unitPrice, 0) + addOns.reduce((sum, addOn) => sum + addOn.qty * addOn.unitPrice, 0);
}

/** New total − old total of a change event. */
export function differenceOf(context: BookingContext, event: ChangeEvent): number {
  return totalOf(event.lines, event.addOns) - context.total;
}

/** A paid booking may take a change: none is waiting and no ticket was cancelled by a refund. */
function changeable(context: BookingContext, event: ChangeEvent): boolean {
  return event.changeId !== undefined && context.pendingChange === undefined && (context.cancelledTickets?.length ?? 0) === 0;
}

/** The refunds sum to `amount`, each from a payment the booking used, within what is left to refund. */
function refundsFit(context: BookingContext, refunds: ChangeEvent['refunds'] = [], amount: number): boolean {
  const sum = refunds.reduce((total, r) => total + r.amount, 0);
  const payments = new Set(refunds.map((r) => r.paymentId));
  return sum === amount && payments.size === refunds.length && refunds.every((r) => usesPayment(context, r.paymentId)) && sum <= refundable(context);
}

/** A change of a paid booking applied at once: cheaper (refunded), the same price, or dearer and waived. */
export function appliesNow(context: BookingContext, event: ChangeEvent): boolean {
  if (!changeable(context, event)) return false;
  const difference = differenceOf(context, event);
  if (difference < 0) return event.settle === 'refund' && refundsFit(context, event.refunds, -difference);
  if (difference === 0) return (event.settle ?? 'refund') === 'refund' && (event.refunds ?? []).length === 0;
  return event.settle === 'waive';
}

/** A dearer change of a paid booking that waits for the visitor to pay the difference. */
export function waitsForPayment(context: BookingContext, event: ChangeEvent): boolean {
  return changeable(context, event) && differenceOf(context, event) > 0 && event.settle === 'collect' && event.dueMs !== undefined;
}

/** The change an event asks for, as a target. */
export function targetOf(event: ChangeEvent): ChangeTarget {
  return {
    changeId: event.changeId ?? '',
    adminId: event.adminId,
    at: event.at,
    slotId: event.slotId,
    lines: event.lines.map((line) => ({ ...line })),
    ...(event.addOns === undefined ? {} : { addOns: event.addOns.map((addOn) => ({ ...addOn })) }),
    requiresApproval: event.requiresApproval,
  };
}

/** The pending change a dearer, collected change becomes. */
export function pendingOf(context: BookingContext, event: ChangeEvent): PendingChange {
  const target = targetOf(event);
  const total = totalOf(target.lines, target.addOns);
  return {
    ...target,
    total,
    due: total - context.total,
    dueMs: event.dueMs ?? 1,
    ...(event.holdId === undefined ? {} : { holdId: event.holdId }),
  };
}

/** The record with this change id replaced (or added), keeping at most the latest MAX_CHANGES_KEPT. */
export function withRecord(context: BookingContext, record: BookingChangeRecord): BookingChangeRecord[] {
  const others = (context.changes ?? []).filter((r) => r.changeId !== record.changeId);
  return [...others, record].slice(-MAX_CHANGES_KEPT);
}

/** The history record of a change from the booking as it is now. */
export function recordOf(context: BookingContext, target: ChangeTarget, settlement: ChangeSettlement): BookingChangeRecord {
  const total = totalOf(target.lines, target.addOns);
  return {
    changeId: target.changeId,
    adminId: target.adminId,
    at: target.at,
    from: { slotId: context.slotId, people: context.quantity, total: context.total },
    to: { slotId: target.slotId, people: peopleOf(target.lines), total },
    difference: total - context.total,
    settlement,
  };
}

/** The settlement of a change applied at once, by its difference. */
export function settlementNow(difference: number): ChangeSettlement {
  return difference < 0 ? 'refunded' : difference === 0 ? 'none' : 'waived';
}

/** The context with the change applied: the new slot, party and price, the tickets numbered after the current ones, the change recorded. */
export function withChange(context: BookingContext, target: ChangeTarget, record: BookingChangeRecord): Partial<BookingContext> {
  return {
    slotId: target.slotId,
    lines: target.lines,
    ...(target.addOns === undefined ? {} : { addOns: target.addOns }),
    requiresApproval: target.requiresApproval,
    total: totalOf(target.lines, target.addOns),
    quantity: peopleOf(target.lines),
    ticketBase: (context.ticketBase ?? 0) + context.quantity,
    cancelledTickets: undefined,
    pendingChange: undefined,
    changes: withRecord(context, record),
  };
}

/** The record of the waiting change, settled (paid, lapsed or withdrawn) at `at`. */
export function settledRecord(context: BookingContext, settlement: ChangeSettlement, at: number | undefined, paymentId?: string): BookingChangeRecord | undefined {
  const pending = context.pendingChange;
  const record = pending && context.changes?.find((r) => r.changeId === pending.changeId);
  if (!record) return undefined;
  return { ...record, settlement, ...(at === undefined ? {} : { settledAt: at }), ...(paymentId === undefined ? {} : { paymentId }) };
}
