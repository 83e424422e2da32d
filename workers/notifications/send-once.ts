/**
 * At most one send per (effect, channel), despite the relay's at-least-once delivery.
 *
 *   claim(effectId, channel) ──done──▶ nothing (sent or settled before)
 *        │ busy (a fresh claim by another sender) ──▶ throw: the relay retries later
 *        ▼ claimed
 *   send ──ok──────────▶ settle sent / skipped
 *        ├─permanent──▶ settle failed (logged; never retried)
 *        └─transient──▶ release the claim, throw: the relay retries with backoff
 *
 * The crash window, and why the claim comes first: a crash between the provider accepting the
 * message and `settle` leaves the receipt `sending`; once the lease has passed the next delivery
 * takes the claim over and sends again. So a message is never lost, and is duplicated only if the
 * process dies in the few milliseconds between the provider's acceptance and the receipt write.
 * Recording before sending would close that window but lose the message on a crash before the
 * send, which is worse for tickets and payment prompts. Duplicates that do slip through carry the
 * same Message-ID (email) or push Topic, which mail clients and push services collapse.
 * The local mailbox (embedded email and SMS) stores by message id, which is derived from the
 * effect id, so there a resend writes nothing: those channels are exactly once.
 * The lease must exceed the longest send (SMTP and push timeouts are set well below it).
 */
import type { NotificationStore, ReceiptKey, SettledStatus } from './notification-store.js';

/** Thrown by a channel when retrying cannot help (the address is refused, the request is malformed). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** What a channel reports after a send that did not throw. */
export interface SendOutcome {
  status: Extract<SettledStatus, 'sent' | 'skipped'>;
  /** The provider's message id when sent, the reason when skipped. */
  detail: string | null;
}

/** How one channel of one notification ended on this delivery. */
export type ChannelResult = SettledStatus | 'already';

/** Default claim lease: longer than any channel's own timeout. */
export const DEFAULT_SEND_LEASE_MS = 2 * 60 * 1000;

/** Runs `send` unless the key was already sent or settled; see the header for the crash window. */
export async function sendOnce(
  store: NotificationStore,
  key: ReceiptKey,
  options: { clock: () => number; leaseMs: number },
  send: () => Promise<SendOutcome>,
): Promise<ChannelResult> {
  const claimed = await store.receipts.claim(key, options.clock(), options.leaseMs);
  if (claimed === 'done') return 'already';
  if (claimed === 'busy') throw new Error(`${key.channel} for ${key.effectId} is being sent by another worker`);
  let outcome: SendOutcome;
  try {
    outcome = await send();
  } catch (error) {
    if (error instanceof PermanentDeliveryError) {
      await store.receipts.settle(key, 'failed', error.message.slice(0, 500), options.clock());
      return 'failed';
    }
    await store.receipts.release(key);
    throw error;
  }
  await store.receipts.settle(key, outcome.status, outcome.detail, options.clock());
  return outcome.status;
}
