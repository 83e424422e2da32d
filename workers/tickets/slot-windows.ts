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
}

/** Looks up slot windows by slot id. */
export interface SlotWindows {
  /** The slot's window, or null when the slot does not exist. */
  window(slotId: string): Promise<SlotWindow | null>;
}
