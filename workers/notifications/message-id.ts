/**
 * Stable message ids per (effect, channel): the same notification always gets the same email
 * Message-ID and SMS id, so a resend after a crash is recognisable downstream.
 */
import { createHash } from 'node:crypto';

/** The domain part of our Message-IDs. */
export const MESSAGE_ID_DOMAIN = 'venue-hub.local';

/**
 * `booking.bk_1.3.2.<hash>.email@venue-hub.local` for effect `booking/bk_1@3#2`: readable, and the
 * hash keeps two effect ids that read alike after the character replacement apart.
 */
export function messageIdOf(effectId: string, channel: string): string {
  const readable = effectId.replace(/[^A-Za-z0-9_-]+/g, '.');
  const hash = createHash('sha256').update(effectId).digest('hex').slice(0, 10);
  return `${readable}.${hash}.${channel}@${MESSAGE_ID_DOMAIN}`;
}
