/**
 * Deterministic ids: the same booking attempt or the same refund request always gets the same
 * id, so a double-click, a retried request or a re-delivered effect lands on one actor, one
 * gateway payment and one refund. Ids stay within the 64 characters the machines accept.
 */
import { createHash } from 'node:crypto';

const MAX_ID = 64;

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The payment actor of attempt `n` of a booking: `${bookingId}-p${n}`, hashed when that is too long. */
export function paymentIdFor(bookingId: string, attempt: number): string {
  const plain = `${bookingId}-p${attempt}`;
  return plain.length <= MAX_ID ? plain : `pay_${digest(bookingId, 40)}-p${attempt}`;
}

/** A refund id derived from what asked for it (an outbox effect id, an admin request id, …). */
export function refundIdFor(source: string): string {
  return `rf_${digest(source, 32)}`;
}
