/**
 * The in-app alert a person receives on the socket room `user:<id>` as `notification:alert`.
 * Part of the wire contract: the notifier builds it, the hub emits it, clients parse it.
 *
 * Alerts are at most once (socket fan-out); `id` is stable per notification, so a client that
 * sees the same id twice shows it once.
 */
import { z } from 'zod';

/** One ticket carried by the booking-confirmed alert: its id and the signed QR payload to render. */
export const AlertTicket = z.object({
  ticketId: z.string().min(1).max(80),
  ticketTypeId: z.string().min(1).max(64),
  token: z.string().min(1).max(2048),
});
export type AlertTicket = z.infer<typeof AlertTicket>;

/** An in-app alert: short text plus what the visitor's screen needs to act on it. */
export const NotificationAlert = z.object({
  /** Stable per notification (the effect id it came from). */
  id: z.string().min(1).max(200),
  /** The template that produced it, e.g. `booking.confirmed`. */
  template: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  bookingId: z.string().min(1).max(64).optional(),
  /** Where the screen may take the person (payment retry, booking page). */
  url: z.string().max(2048).optional(),
  tickets: z.array(AlertTicket).max(500).optional(),
  /** Epoch milliseconds when it was sent. */
  at: z.number().int().nonnegative(),
});
export type NotificationAlert = z.infer<typeof NotificationAlert>;

/** The socket event name of an in-app alert. */
export const NOTIFICATION_ALERT_EVENT = 'notification:alert' as const;
