/**
 * Notifications in the contract: Web Push subscriptions and the local development mailbox.
 */
import { z } from 'zod';
import { PushSubscriptionInput } from './accounts.js';
import { httpRoute } from './contract.js';

/** The HTTP routes of notifications. */
export const NOTIFICATION_ROUTES = {
  vapidKey: httpRoute({ method: 'GET', path: '/api/push/vapid-public-key', answer: z.object({ publicKey: z.string() }), auth: 'none', by: 'anyone', summary: 'The VAPID public key browsers subscribe with.' }),
  subscribe: httpRoute({ method: 'POST', path: '/api/push/subscriptions', body: PushSubscriptionInput, answer: z.object({ endpoint: z.string() }), status: 201, auth: 'bearer', by: 'people', summary: 'Register a browser\'s push subscription.' }),
  unsubscribe: httpRoute({ method: 'DELETE', path: '/api/push/subscriptions', body: z.strictObject({ endpoint: z.url() }), answer: z.object({ removed: z.boolean() }), auth: 'bearer', by: 'people', summary: 'Remove a push subscription.' }),
  mailbox: httpRoute({ method: 'GET', path: '/mailbox', query: z.strictObject({ to: z.string().optional() }), answer: z.string(), produces: ['text/html'], auth: 'none', by: 'direct loopback requests, DEV_MAILBOX only', summary: 'The local mailbox of a development hub (codes, tickets and texts sent without SMTP).' }),
} as const;
