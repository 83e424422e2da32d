/**
 * When a slot runs: the ticket issuer needs it for each ticket's validity window and the
 * notifier for the "your visit starts at" line. Implemented by the catalog; read-only here.
 */

/** A slot's opening and closing time, epoch milliseconds (end after start). */
export interface SlotWindow {
  startsAt: number;
  endsAt: number;
  /** A human label for messages, e.g. "Wave pool, 10:00–12:00"; optional. */
  label?: string;
  /** The label in Arabic (the activity's Arabic name), when the catalog has one. */
  labelAr?: string;
  /** The zone of the slot's activity; tickets carry it so gates of other zones refuse them. */
  zone?: string;
}

/** What a ticket of a type allows at the gates. */
export interface TicketRules {
  /** False: single entry (the exit scan ends the ticket). */
  reentry: boolean;
}

/** Looks up slot windows by slot id. */
export interface SlotWindows {
  /** The slot's window, or null when the slot does not exist. */
  window(slotId: string): Promise<SlotWindow | null>;
  /** The gate rules of a ticket type; null (or no method) means the defaults: re-entry allowed. */
  rules?(ticketTypeId: string): Promise<TicketRules | null>;
  /** A ticket type's name (`name`) and Arabic name (`ar`, when translated); null when unknown. */
  ticketTypeNames?(ticketTypeId: string): Promise<{ name: string; ar?: string } | null>;
}
