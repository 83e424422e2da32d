/**
 * Registering a browser's push subscription: what the hub's subscribe endpoint calls with the
 * body the browser sent (`PushSubscription.toJSON()`).
 *
 * The endpoint is a URL this server will POST to later, so it is checked here: https only, and
 * only on the hosts of known push services (or the configured list), never an arbitrary or
 * internal address.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { PushSubscriptions } from './notification-store.js';

/** Hosts of the push services browsers use (a subscription's endpoint host ends with one of these). */
export const DEFAULT_PUSH_HOSTS: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  'notify.windows.com',
  'push.apple.com',
];

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: 'must be base64url' });

/** The body a browser sends: `PushSubscription.toJSON()`. */
export const PushSubscriptionBody = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'the endpoint must be an https URL' }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64url.min(80).max(100), auth: base64url.min(16).max(32) }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** True when the endpoint's host is one of `hosts` or a subdomain of one. */
export function isAllowedPushEndpoint(endpoint: string, hosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return hosts.some((allowed) => host === allowed.toLowerCase() || host.endsWith(`.${allowed.toLowerCase()}`));
}

/** Saves the person's subscription after validating it; `input.invalid` when it is not acceptable. */
export async function subscribePush(
  registry: PushSubscriptions,
  userId: string,
  body: unknown,
  options: { at: number; allowedHosts?: readonly string[] },
): Promise<Result<{ endpoint: string }>> {
  const parsed = PushSubscriptionBody.safeParse(body);
  if (!parsed.success) return refuse('input.invalid', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  const { endpoint, keys } = parsed.data;
  if (!isAllowedPushEndpoint(endpoint, options.allowedHosts ?? DEFAULT_PUSH_HOSTS)) {
    return refuse('input.invalid', 'the endpoint is not on a known push service');
  }
  await registry.save(userId, { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }, options.at);
  return accept({ endpoint });
}

/** Removes one of the person's subscriptions (another person's endpoint is left alone). */
export async function unsubscribePush(registry: PushSubscriptions, userId: string, endpoint: unknown): Promise<Result<{ removed: boolean }>> {
  if (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > 2048) return refuse('input.invalid', 'endpoint: a subscription endpoint is required');
  return accept({ removed: await registry.remove(endpoint, userId) });
}
