/**
 * Visitor-facing routes around a confirmed booking: its tickets and their QR images, Web Push
 * subscriptions, and — on the embedded default only — the local mailbox page where emailed codes,
 * tickets and texts land when no SMTP server is configured.
 *
 *   GET    /api/bookings/:id                owner or admin   the booking's current state
 *   GET    /verify, /sign-in, /account,     anyone           the visitor app's page (clients/web); it routes by path,
 *          /activities/:id, /bookings[/:id[/pay|/tickets]]    so links in messages and reloads open the right view
 *   GET    /api/bookings/:id/tickets        owner or admin   tickets with their signed QR payloads
 *   GET    /api/tickets/:id/qr.svg | qr.png owner or admin   the QR image (ticket.revoked once revoked)
 *   GET    /api/push/vapid-public-key       anyone           browsers subscribe with it
 *   POST   /api/push/subscriptions          signed in        PushSubscription.toJSON()
 *   DELETE /api/push/subscriptions          signed in        {endpoint}
 *   GET    /mailbox?to=                     DEV_MAILBOX only HTML list of the local mailbox, to direct loopback peers
 *
 * The mailbox shows every code sent, so it is an account-takeover page if anyone else reaches it:
 * it exists only when a developer turns it on, and answers only requests from this machine that
 * did not pass a proxy; to anyone else it is a route that does not exist.
 */
import { z } from 'zod';
import type { Principal } from '../auth/tokens.js';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { ActorHost } from '../../workers/actors/actor-host.js';
import { listMailbox, renderMailboxPage } from '../../workers/notifications/mailbox-page.js';
import type { NotificationStore } from '../../workers/notifications/notification-store.js';
import { DEFAULT_PUSH_HOSTS, subscribePush, unsubscribePush } from '../../workers/notifications/push-registry.js';
import type { TicketService } from '../../workers/tickets/ticket-service.js';
import { isDirectLoopbackRequest } from '../http/loopback.js';
import type { HttpAnswer } from '../http/routes.js';
import { ownerOf } from '../policy/role-policy.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';

/** What the visitor routes need. */
export interface VisitorRouteDeps {
  /** The caller, from the bearer token (coded refusal when missing, invalid or revoked). */
  authenticate: (req: ApiRequest) => Promise<Result<Principal>>;
  host: Pick<ActorHost, 'read'>;
  tickets: Pick<TicketService, 'ticketsOfBooking' | 'ticket' | 'qr'>;
  notifications: Pick<NotificationStore, 'pushSubscriptions' | 'mailbox'>;
  vapidPublicKey: string;
  /** Serve the local mailbox page to direct loopback requests (DEV_MAILBOX; development only). */
  mailboxPage: boolean;
  /** Push service hosts accepted besides the browsers' own (PUSH_SERVICE_HOSTS). */
  pushHosts?: readonly string[];
  /** The visitor app's HTML (the links in messages open it), when the web pages are built. */
  appPage?: () => Promise<string | null>;
  clock: () => number;
}

/** Paths the web app routes itself (clients/web/src/router.ts, src/admin/): each answers the app's page. */
const APP_PATHS = ['/verify', '/sign-in', '/account', '/activities/:id', '/bookings', '/bookings/:id', '/bookings/:id/pay', '/bookings/:id/tickets', '/bookings/:id/food', '/food-orders/:id', '/admin', '/admin/:page', '/admin/:page/:id', '/kitchen'];
/** The staff device pages (clients/web/src/staff): a gate, a locker counter, a rental desk. */
const STAFF_PAGE_PATHS = ['/gate', '/locker', '/desk'];

const STAFF = new Set(['super_admin', 'booking_admin', 'support_admin', 'finance_admin']);
const Unsubscribe = z.strictObject({ endpoint: z.url() });
const QR_FILES: Record<string, 'svg' | 'png'> = { 'qr.svg': 'svg', 'qr.png': 'png' };

function isStaff(principal: Principal): boolean {
  return principal.kind === 'person' && STAFF.has(principal.role);
}

/** The visitor routes. */
export function visitorRoutes(deps: VisitorRouteDeps): ApiRoute[] {
  const pushHosts = [...DEFAULT_PUSH_HOSTS, ...(deps.pushHosts ?? [])];
  /** The caller, if they may see this booking's tickets. */
  async function bookingReader(req: ApiRequest, bookingId: string): Promise<Result<Principal>> {
    const who = await deps.authenticate(req);
    if (!who.ok) return who;
    // An unknown booking and someone else's booking answer the same: ids are not probed.
    return (await mayRead(who.data, bookingId)) ? who : refuse('actor.not_found', `no booking ${bookingId} of yours`);
  }

  /** Staff read every booking; a visitor only their own. */
  async function mayRead(principal: Principal, bookingId: string): Promise<boolean> {
    if (isStaff(principal)) return true;
    const booking = await deps.host.read('booking', bookingId);
    return booking.ok && principal.kind === 'person' && ownerOf(booking.data) === principal.userId;
  }

  async function person(req: ApiRequest): Promise<Result<string>> {
    const who = await deps.authenticate(req);
    if (!who.ok) return who;
    return who.data.kind === 'person' ? accept(who.data.userId) : refuse('auth.wrong_type', 'devices have no push subscriptions');
  }

  async function appPage(): Promise<Result<unknown> | HttpAnswer> {
    const page = deps.appPage ? await deps.appPage() : null;
    return page === null ? refuse('route.not_found', 'the web pages are not built (npm start builds them)') : { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: page };
  }

  return [
    ...[...APP_PATHS, ...STAFF_PAGE_PATHS].map((pattern): ApiRoute => ({ method: 'GET', pattern, handler: appPage })),
    {
      method: 'GET',
      pattern: '/api/bookings/:id',
      handler: async (req) => {
        const id = req.params['id'] ?? '';
        const reader = await bookingReader(req, id);
        if (!reader.ok) return reader;
        return deps.host.read('booking', id);
      },
    },
    {
      method: 'GET',
      pattern: '/api/bookings/:id/tickets',
      handler: async (req) => {
        const id = req.params['id'] ?? '';
        const reader = await bookingReader(req, id);
        if (!reader.ok) return reader;
        return accept(await deps.tickets.ticketsOfBooking(id));
      },
    },
    {
      method: 'GET',
      pattern: '/api/tickets/:id/:file',
      handler: async (req): Promise<Result<unknown> | HttpAnswer> => {
        const format = QR_FILES[req.params['file'] ?? ''];
        if (!format) return refuse('route.not_found', 'ask for qr.svg or qr.png');
        // Who asks comes first, and an unknown ticket and someone else's answer alike: ticket ids are not probed.
        const who = await deps.authenticate(req);
        if (!who.ok) return who;
        const ticketId = req.params['id'] ?? '';
        const notYours = refuse('actor.not_found', `no ticket ${ticketId} of yours`);
        const ticket = await deps.tickets.ticket(ticketId);
        if (!ticket.ok) return ticket.code === 'actor.not_found' ? notYours : ticket;
        if (!(await mayRead(who.data, ticket.data.bookingId))) return notYours;
        const image = await deps.tickets.qr(ticket.data.ticketId, format);
        if (!image.ok) return image;
        return { status: 200, headers: { 'content-type': image.data.contentType, 'cache-control': 'private, no-store' }, body: image.data.body };
      },
    },
    {
      method: 'GET',
      pattern: '/api/push/vapid-public-key',
      handler: async () => accept({ publicKey: deps.vapidPublicKey }),
    },
    {
      method: 'POST',
      pattern: '/api/push/subscriptions',
      created: true,
      handler: async (req) => {
        const userId = await person(req);
        if (!userId.ok) return userId;
        const body = readJson(z.unknown(), req);
        if (!body.ok) return body;
        return subscribePush(deps.notifications.pushSubscriptions, userId.data, body.data, { at: deps.clock(), allowedHosts: pushHosts });
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/push/subscriptions',
      handler: async (req) => {
        const userId = await person(req);
        if (!userId.ok) return userId;
        const body = readJson(Unsubscribe, req);
        if (!body.ok) return body;
        return unsubscribePush(deps.notifications.pushSubscriptions, userId.data, body.data.endpoint);
      },
    },
    ...(deps.mailboxPage ? [mailboxRoute(deps.notifications)] : []),
  ];
}

/** The local mailbox page; anyone but a direct loopback peer gets the answer of an unknown route. */
function mailboxRoute(notifications: Pick<NotificationStore, 'mailbox'>): ApiRoute {
  return {
    method: 'GET',
    pattern: '/mailbox',
    handler: async (req): Promise<Result<unknown> | HttpAnswer> => {
      if (!isDirectLoopbackRequest(req)) return refuse('route.not_found', 'no such route');
      const to = req.search.get('to') ?? undefined;
      const messages = await listMailbox(notifications, { limit: 200, ...(to ? { to } : {}) });
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: renderMailboxPage(messages, to ? { to } : {}) };
    },
  };
}
