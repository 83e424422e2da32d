/**
 * The hub's HTTP API as a client calls it (docs/protocol.md, "HTTP API"): every route of the HTTP
 * contract (`machines/contract/http-api.ts`) has a named method here, typed from the route's zod
 * schemas through the generic caller (`http-call.ts`). Every JSON call answers the hub's
 * `{ok, data} | {ok: false, code, message}` as a `HubResult`, like the socket calls do; a request
 * that gets no JSON answer is `client.unreachable` or `client.bad_answer`.
 *
 *   const api = createHubApi({ url: 'http://localhost:8080' });
 *   const { verificationId } = unwrap(await api.register({ name: 'Sara', email }));
 *   const signedIn = unwrap(await api.verify({ verificationId, code }));   // code from the email
 *   const hub = connectHub({ url, token: signedIn.accessToken });          // then hold, submit …
 *   const { redirectUrl } = unwrap(await api.pay(bookingId, 'card', signedIn.accessToken));
 *   await api.call('lockers.assign', { params: { id }, body: { band }, token }); // any route, typed
 *
 * `fetch` is the platform's unless one is given (a Node test can bind each client to its own
 * source address, for instance). `HTTP_ROUTE_METHODS` names the method of every route; a test
 * fails when a route of the contract has none.
 */
import type { HttpRouteId } from '../../machines/contract/http-api.js';
import type { PersonRole } from '../../machines/contract/wire.js';
import type { z } from 'zod';
import type { LockerRow as LockerRowSchema } from '../../machines/contract/lockers.js';
import { asResult, clientRefusal } from './codes.js';
import type { HubResult } from './codes.js';
import { createHttpCaller } from './http-call.js';
import type { FetchLike, HttpCaller, RouteAnswer, RouteCall } from './http-call.js';

export type { FetchLike, HttpCaller, RouteAnswer, RouteCall } from './http-call.js';

/** Options of `createHubApi`. */
export interface HubApiOptions {
  /** The hub's base URL, e.g. `http://localhost:8080`. */
  url: string;
  fetch?: FetchLike;
}

type Body<R extends HttpRouteId> = NonNullable<RouteCall<R>['body']>;
type Query<R extends HttpRouteId> = NonNullable<RouteCall<R>['query']>;

/** A person's account as the hub shows it to them. */
export type HubAccount = RouteAnswer<'accounts.me'>;
/** The answer of a verification or completed sign-in; times in epoch ms. */
export type SignedIn = RouteAnswer<'accounts.verify'>;
/** An activity with its ticket types. */
export type CatalogActivity = RouteAnswer<'catalog.activities'>['activities'][number];
/** A ticket type on sale; prices in halalas. */
export type CatalogTicketType = CatalogActivity['ticketTypes'][number];
/** An add-on sold with a booking (a locker, rented equipment, food); price in halalas. */
export type CatalogAddOn = RouteAnswer<'catalog.addOns'>['addOns'][number];
/** A catalog entity's name and description in other languages (by language code). */
export type CatalogTranslations = NonNullable<CatalogActivity['translations']>;
/** One slot of a day with its live remaining capacity. */
export type CatalogSlot = RouteAnswer<'catalog.slots'>['slots'][number];
/** A price quote, computed as `booking:hold` prices a hold. */
export type PriceQuote = RouteAnswer<'catalog.price'>;
/** Selected items of a hold or a price quote. */
export type Selection = Body<'catalog.price'>;
/** Where the payer goes to pay. */
export type StartedPayment = RouteAnswer<'payments.pay'>;
/** A ticket of a booking; `token` (the signed QR payload) only while it admits. */
export type BookingTicket = RouteAnswer<'tickets.tickets'>[number];
/** One money movement in the transaction log. */
export type Transaction = RouteAnswer<'payments.transactions'>[number];
/** A finance refund: everything left cancels the booking; a part keeps the visit or cancels listed tickets. */
export type RefundRequest = Body<'payments.refund'>;
/** A food order placed during the visit: lines and pickup (the menu prices it). */
export type VisitOrderRequest = Body<'food.visitOrder'>;
/** What a finance refund answers. */
export type RefundAnswer = RouteAnswer<'payments.refund'>;
/** What cancelling a booking gives back under the venue's policy (`unpaid`: nothing was captured). */
export type CancellationTerms = RouteAnswer<'bookings.cancellation'>;
/** A locker as the front desk shows it (the lockers feed's rows, flattened). */
export type LockerRow = z.infer<typeof LockerRowSchema>;
/** One row of the audit trail. */
export type AuditEntry = RouteAnswer<'admin.audit'>['entries'][number];

/** Catalog entity kinds staff create, and the route of each. */
const CATALOG_CREATE = {
  activity: 'catalog.createActivity',
  ticket_type: 'catalog.createTicketType',
  schedule: 'catalog.createSchedule',
  add_on: 'catalog.createAddOn',
  menu_category: 'catalog.createMenuCategory',
  menu_item: 'catalog.createMenuItem',
} as const satisfies Record<string, HttpRouteId>;
/** Catalog entity kinds staff create. */
export type CatalogKind = keyof typeof CATALOG_CREATE;
/** The body of a catalog kind's create route. */
export type CatalogEntityInput<K extends CatalogKind> = Body<(typeof CATALOG_CREATE)[K]>;
/** The stored entity a catalog kind's create route answers. */
export type CatalogEntity<K extends CatalogKind> = RouteAnswer<(typeof CATALOG_CREATE)[K]>;

/** The pages a browser opens (HTML answers): addressed with `url`, not called. */
export type PageRoute = 'bookings.page' | 'bookings.payPage' | 'bookings.ticketsPage' | 'bookings.bookingsPage' | 'bookings.activityPage' | 'bookings.signInPage' | 'bookings.verifyPage' | 'bookings.accountPage' | 'payments.hostedPage' | 'payments.payReturn' | 'notifications.mailbox' | 'admin.consolePage' | 'admin.consoleSection' | 'admin.consoleItem' | 'food.kitchenPage' | 'food.visitPage' | 'food.orderPage';

/** The HTTP API client. Signed-in calls take the access token last. */
export interface HubApi extends HttpCaller {
  /** Any path, untyped (prefer `call` with a route id). */
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options?: { body?: unknown; token?: string }): Promise<HubResult<T>>;

  // Accounts and sessions
  register(body: Body<'accounts.register'>): Promise<HubResult<RouteAnswer<'accounts.register'>>>;
  resend(verificationId: string): Promise<HubResult<RouteAnswer<'accounts.resend'>>>;
  verify(body: Body<'accounts.verify'>): Promise<HubResult<SignedIn>>;
  /** Redeems the emailed link (`/verify#v=<verificationId>&t=<token>`). */
  verifyLink(body: Body<'accounts.verifyLink'>): Promise<HubResult<SignedIn>>;
  signIn(body: Body<'accounts.signIn'>): Promise<HubResult<RouteAnswer<'accounts.signIn'>>>;
  completeSignIn(body: Body<'accounts.signInComplete'>): Promise<HubResult<SignedIn>>;
  /** A new access token (with the person's current role) and the rotated refresh token. */
  refresh(refreshToken: string): Promise<HubResult<RouteAnswer<'accounts.refresh'>>>;
  /** A signed-out visitor's session: an access token (role guest, no account) for the public feeds, such as the menu. */
  guestSession(): Promise<HubResult<RouteAnswer<'accounts.guest'>>>;
  /** Ends one refresh token's session, or (`{everywhere: true}` with the access token) every session. */
  signOut(body: Body<'accounts.signOut'>, token?: string): Promise<HubResult<RouteAnswer<'accounts.signOut'>>>;
  me(token: string): Promise<HubResult<HubAccount>>;
  /** The policy actions the signed-in person's role allows (staff screens show only those). */
  permissions(token: string): Promise<HubResult<RouteAnswer<'accounts.permissions'>>>;
  preferences(patch: Body<'accounts.preferences'>, token: string): Promise<HubResult<HubAccount>>;
  /** Sets the language of the person's emails, SMS, push and in-app alerts (en or ar). */
  language(language: Body<'accounts.language'>['language'], token: string): Promise<HubResult<HubAccount>>;
  /** Adds an email or phone to the account (verified by a code like sign-up). */
  addAddress(body: Body<'accounts.addAddress'>, token: string): Promise<HubResult<RouteAnswer<'accounts.addAddress'>>>;
  /** Staff: a person by their verified email or phone (exactly one). */
  findUser(query: Query<'accounts.findUser'>, token: string): Promise<HubResult<RouteAnswer<'accounts.findUser'>>>;
  setRole(userId: string, role: PersonRole, token: string): Promise<HubResult<RouteAnswer<'accounts.setRole'>>>;
  suspend(userId: string, reason: string, token: string): Promise<HubResult<RouteAnswer<'accounts.suspend'>>>;
  reinstate(userId: string, token: string): Promise<HubResult<RouteAnswer<'accounts.reinstate'>>>;
  /** Support: clear an account's wrong-code lock and code-send limits so the person can sign in now. */
  unlock(userId: string, token: string): Promise<HubResult<RouteAnswer<'accounts.unlock'>>>;

  // Catalog
  activities(): Promise<HubResult<RouteAnswer<'catalog.activities'>>>;
  slots(activityId: string, date: string): Promise<HubResult<RouteAnswer<'catalog.slots'>>>;
  addOns(): Promise<HubResult<RouteAnswer<'catalog.addOns'>>>;
  price(body: Selection): Promise<HubResult<PriceQuote>>;
  createCatalogItem<K extends CatalogKind>(kind: K, entity: CatalogEntityInput<K>, token: string): Promise<HubResult<CatalogEntity<K>>>;
  updateCatalogItem(kind: CatalogKind, id: string, patch: Record<string, unknown>, token: string): Promise<HubResult<RouteAnswer<'catalog.update'>>>;

  // Bookings, payments, tickets
  /** The caller's booking as it is now. */
  booking(bookingId: string, token: string): Promise<HubResult<RouteAnswer<'bookings.booking'>>>;
  /** What cancelling now would give back, without cancelling. */
  cancellation(bookingId: string, token: string): Promise<HubResult<CancellationTerms>>;
  /** Cancels the caller's booking under the venue's refund policy. */
  cancel(bookingId: string, body: Body<'bookings.cancel'>, token: string): Promise<HubResult<CancellationTerms>>;
  /** Staff: why a booking is in its state (every committed event, who, when, from and to). */
  bookingHistory(bookingId: string, token: string): Promise<HubResult<RouteAnswer<'bookings.history'>>>;
  /** Staff: move a booking to another slot, or change its party (a paid one under the money rule). */
  changeBooking(bookingId: string, body: Body<'bookings.change'>, token: string): Promise<HubResult<RouteAnswer<'bookings.change'>>>;
  /** Staff: withdraw a paid booking's change still waiting for its difference. */
  withdrawBookingChange(bookingId: string, token: string): Promise<HubResult<RouteAnswer<'bookings.changeWithdraw'>>>;
  /** Support: send the booking's tickets email to its visitor again. */
  resendTickets(bookingId: string, token: string): Promise<HubResult<RouteAnswer<'bookings.resendTickets'>>>;
  /** Support: how a resend of the tickets email went (by the reference its request answered). */
  resendStatus(bookingId: string, reference: string, token: string): Promise<HubResult<RouteAnswer<'bookings.resendStatus'>>>;
  /** Staff: who holds places in a slot, or what one visitor holds. */
  holds(query: Query<'bookings.holds'>, token: string): Promise<HubResult<RouteAnswer<'bookings.holds'>>>;
  pay(bookingId: string, method: Body<'payments.pay'>['method'], token: string): Promise<HubResult<StartedPayment>>;
  /** The simulated provider's hosted page, submitted as the payer's browser would (answers the 303). */
  submitHostedPayment(gatewayRef: string, fields: Record<string, string>): Promise<HubResult<Response>>;
  /** Delivers a payment provider's webhook: the exact signed bytes and the signature headers. */
  webhook(provider: string, rawBody: string, headers: Record<string, string>): Promise<HubResult<RouteAnswer<'payments.webhook'>>>;
  tickets(bookingId: string, token: string): Promise<HubResult<BookingTicket[]>>;
  /** A ticket's QR code as an image (`qr.svg` or `qr.png`). */
  ticketQr(ticketId: string, file: 'qr.svg' | 'qr.png', token: string): Promise<HubResult<Response>>;
  /** The public keys gates verify ticket tokens with (a JWK set). */
  ticketKeys(): Promise<HubResult<RouteAnswer<'tickets.ticketKeys'>>>;
  transactions(query: Query<'payments.transactions'>, token: string): Promise<HubResult<Transaction[]>>;
  refund(body: RefundRequest, token: string): Promise<HubResult<RefundAnswer>>;

  // Lockers and rentals (front desk, super admins)
  defineLockers(body: Body<'lockers.define'>, token: string): Promise<HubResult<RouteAnswer<'lockers.define'>>>;
  assignLocker(lockerId: string, band: string, token: string): Promise<HubResult<RouteAnswer<'lockers.assign'>>>;
  releaseLocker(lockerId: string, token: string): Promise<HubResult<RouteAnswer<'lockers.release'>>>;
  lockerOutOfService(lockerId: string, token: string): Promise<HubResult<RouteAnswer<'lockers.outOfService'>>>;
  lockerBackInService(lockerId: string, token: string): Promise<HubResult<RouteAnswer<'lockers.backInService'>>>;
  defineEquipment(body: Body<'rentals.define'>, token: string): Promise<HubResult<RouteAnswer<'rentals.define'>>>;
  chargeEquipment(itemId: string, reason: string, token: string): Promise<HubResult<RouteAnswer<'rentals.charge'>>>;
  equipmentRepaired(itemId: string, token: string): Promise<HubResult<RouteAnswer<'rentals.repaired'>>>;
  equipmentOutOfService(itemId: string, note: string | undefined, token: string): Promise<HubResult<RouteAnswer<'rentals.outOfService'>>>;
  /** Closes a visit now (`equipment.unreturned` while rented items are out). */
  checkOut(bookingId: string, token: string): Promise<HubResult<RouteAnswer<'rentals.checkOut'>>>;

  // Lists, alerts, administration
  /** One page of a read model, newest first; other query fields are equality filters. */
  list(list: RouteCall<'lists.list'>['params']['list'], query: Query<'lists.list'>, token: string): Promise<HubResult<RouteAnswer<'lists.list'>>>;
  acknowledgeAlert(alertId: string, token: string): Promise<HubResult<RouteAnswer<'lists.acknowledgeAlert'>>>;
  resolveAlert(alertId: string, note: string | undefined, token: string): Promise<HubResult<RouteAnswer<'lists.resolveAlert'>>>;
  /** Issues a device token (gate, locker bank, kitchen board, rental desk). */
  mintDevice(body: Body<'admin.devices'>, token: string): Promise<HubResult<RouteAnswer<'admin.devices'>>>;
  audit(query: Query<'admin.audit'>, token: string): Promise<HubResult<RouteAnswer<'admin.audit'>>>;

  // Food
  /** The menu: active categories and items with VAT, sold-out and orderable-now flags. */
  menu(): Promise<HubResult<RouteAnswer<'food.menu'>>>;
  /** Every category and item, inactive ones too (the menu editor). */
  adminMenu(token: string): Promise<HubResult<RouteAnswer<'food.adminMenu'>>>;
  /** 86 an item or bring it back. */
  setSoldOut(itemId: string, body: Body<'food.soldOut'>, token: string): Promise<HubResult<RouteAnswer<'food.soldOut'>>>;
  foodOrder(orderId: string, token: string): Promise<HubResult<RouteAnswer<'food.order'>>>;
  cancelFoodOrder(orderId: string, body: Body<'food.cancel'>, token: string): Promise<HubResult<RouteAnswer<'food.cancel'>>>;
  /** Orders food during the visit of a booking (paid on its own): the order, placed, priced by the menu. */
  placeVisitOrder(bookingId: string, body: Body<'food.visitOrder'>, token: string): Promise<HubResult<RouteAnswer<'food.visitOrder'>>>;
  /** Starts (or reopens) paying a food order placed during the visit: open `redirectUrl`. */
  payFoodOrder(orderId: string, method: Body<'food.payOrder'>['method'], token: string): Promise<HubResult<StartedPayment>>;
  foodReport(query: Query<'food.report'>, token: string): Promise<HubResult<RouteAnswer<'food.report'>>>;

  // Push notifications
  vapidKey(): Promise<HubResult<RouteAnswer<'notifications.vapidKey'>>>;
  subscribePush(subscription: Body<'notifications.subscribe'>, token: string): Promise<HubResult<RouteAnswer<'notifications.subscribe'>>>;
  unsubscribePush(endpoint: string, token: string): Promise<HubResult<RouteAnswer<'notifications.unsubscribe'>>>;

  // The node itself (documents answered as they are, not wrapped in {ok, data})
  health(): Promise<HubResult<RouteAnswer<'node.healthz'>>>;
  readiness(): Promise<HubResult<RouteAnswer<'node.readyz'>>>;
  metrics(): Promise<HubResult<string>>;
  jwks(): Promise<HubResult<RouteAnswer<'node.jwks'>>>;
  openApi(): Promise<HubResult<RouteAnswer<'node.openapi'>>>;
  asyncApi(): Promise<HubResult<RouteAnswer<'node.asyncapi'>>>;
}

/**
 * The method of `HubApi` that calls each route of the HTTP contract (`url` for the pages a
 * browser opens). Declared over every route id, so a route added to the contract without a
 * method here does not compile, and a test checks each named method exists.
 */
export const HTTP_ROUTE_METHODS = {
  'accounts.register': 'register',
  'accounts.resend': 'resend',
  'accounts.verify': 'verify',
  'accounts.verifyLink': 'verifyLink',
  'accounts.signIn': 'signIn',
  'accounts.signInComplete': 'completeSignIn',
  'accounts.refresh': 'refresh',
  'accounts.guest': 'guestSession',
  'accounts.signOut': 'signOut',
  'accounts.me': 'me',
  'accounts.permissions': 'permissions',
  'accounts.preferences': 'preferences',
  'accounts.language': 'language',
  'accounts.addAddress': 'addAddress',
  'accounts.findUser': 'findUser',
  'accounts.setRole': 'setRole',
  'accounts.suspend': 'suspend',
  'accounts.reinstate': 'reinstate',
  'accounts.unlock': 'unlock',
  'catalog.activities': 'activities',
  'catalog.addOns': 'addOns',
  'catalog.slots': 'slots',
  'catalog.price': 'price',
  'catalog.createActivity': 'createCatalogItem',
  'catalog.createTicketType': 'createCatalogItem',
  'catalog.createSchedule': 'createCatalogItem',
  'catalog.createAddOn': 'createCatalogItem',
  'catalog.createMenuCategory': 'createCatalogItem',
  'catalog.createMenuItem': 'createCatalogItem',
  'catalog.update': 'updateCatalogItem',
  'bookings.booking': 'booking',
  'bookings.cancel': 'cancel',
  'bookings.cancellation': 'cancellation',
  'bookings.holds': 'holds',
  'bookings.history': 'bookingHistory',
  'bookings.change': 'changeBooking',
  'bookings.changeWithdraw': 'withdrawBookingChange',
  'bookings.resendTickets': 'resendTickets',
  'bookings.resendStatus': 'resendStatus',
  'bookings.page': 'url',
  'bookings.payPage': 'url',
  'bookings.ticketsPage': 'url',
  'bookings.bookingsPage': 'url',
  'bookings.activityPage': 'url',
  'bookings.signInPage': 'url',
  'bookings.verifyPage': 'url',
  'bookings.accountPage': 'url',
  'payments.pay': 'pay',
  'payments.webhook': 'webhook',
  'payments.hostedPage': 'url',
  'payments.hostedSubmit': 'submitHostedPayment',
  'payments.payReturn': 'url',
  'payments.refund': 'refund',
  'payments.transactions': 'transactions',
  'tickets.tickets': 'tickets',
  'tickets.qr': 'ticketQr',
  'tickets.ticketKeys': 'ticketKeys',
  'lockers.define': 'defineLockers',
  'lockers.assign': 'assignLocker',
  'lockers.release': 'releaseLocker',
  'lockers.outOfService': 'lockerOutOfService',
  'lockers.backInService': 'lockerBackInService',
  'rentals.define': 'defineEquipment',
  'rentals.charge': 'chargeEquipment',
  'rentals.repaired': 'equipmentRepaired',
  'rentals.outOfService': 'equipmentOutOfService',
  'rentals.checkOut': 'checkOut',
  'lists.list': 'list',
  'lists.acknowledgeAlert': 'acknowledgeAlert',
  'lists.resolveAlert': 'resolveAlert',
  'admin.devices': 'mintDevice',
  'admin.audit': 'audit',
  'admin.consolePage': 'url',
  'admin.consoleSection': 'url',
  'admin.consoleItem': 'url',
  'food.kitchenPage': 'url',
  'food.menu': 'menu',
  'food.adminMenu': 'adminMenu',
  'food.soldOut': 'setSoldOut',
  'food.order': 'foodOrder',
  'food.cancel': 'cancelFoodOrder',
  'food.visitOrder': 'placeVisitOrder',
  'food.payOrder': 'payFoodOrder',
  'food.visitPage': 'url',
  'food.orderPage': 'url',
  'food.report': 'foodReport',
  'notifications.vapidKey': 'vapidKey',
  'notifications.subscribe': 'subscribePush',
  'notifications.unsubscribe': 'unsubscribePush',
  'notifications.mailbox': 'url',
  'node.healthz': 'health',
  'node.readyz': 'readiness',
  'node.metrics': 'metrics',
  'node.jwks': 'jwks',
  'node.openapi': 'openApi',
  'node.asyncapi': 'asyncApi',
} as const satisfies { [R in HttpRouteId]: R extends PageRoute ? 'url' : Exclude<keyof HubApi, 'url' | 'raw' | 'call' | 'request'> };

/** Creates the client. */
export function createHubApi(options: HubApiOptions): HubApi {
  const base = options.url.replace(/\/+$/, '');
  const send: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const caller = createHttpCaller(base, send);
  const { call, raw, url } = caller;

  async function request<T>(method: string, path: string, { body, token }: { body?: unknown; token?: string } = {}): Promise<HubResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await send(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      return clientRefusal('client.unreachable', `${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return clientRefusal('client.bad_answer', `${method} ${path} answered ${response.status} without JSON: ${text.slice(0, 120)}`);
    }
    return asResult<T>(json);
  }

  /** A node route that answers its document as is: a 2xx is the data, anything else a refusal. */
  async function document<R extends 'node.healthz' | 'node.readyz' | 'node.jwks' | 'node.openapi' | 'node.asyncapi' | 'tickets.ticketKeys'>(route: R): Promise<HubResult<RouteAnswer<R>>> {
    const answer = await (raw as (route: HttpRouteId) => Promise<HubResult<Response>>)(route);
    if (!answer.ok) return answer;
    const text = await answer.data.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return clientRefusal('client.bad_answer', `${route} answered ${answer.data.status} without JSON: ${text.slice(0, 120)}`);
    }
    if (answer.data.ok) return { ok: true, data: json as RouteAnswer<R> };
    return asResult(json);
  }

  return {
    call,
    raw,
    url,
    request,
    register: (body) => call('accounts.register', { body }),
    resend: (verificationId) => call('accounts.resend', { body: { verificationId } }),
    verify: (body) => call('accounts.verify', { body }),
    verifyLink: (body) => call('accounts.verifyLink', { body }),
    signIn: (body) => call('accounts.signIn', { body }),
    completeSignIn: (body) => call('accounts.signInComplete', { body }),
    refresh: (refreshToken) => call('accounts.refresh', { body: { refreshToken } }),
    guestSession: () => call('accounts.guest', { body: {} }),
    signOut: (body, token) => call('accounts.signOut', token === undefined ? { body } : { body, token }),
    me: (token) => call('accounts.me', { token }),
    permissions: (token) => call('accounts.permissions', { token }),
    preferences: (patch, token) => call('accounts.preferences', { body: patch, token }),
    language: (language, token) => call('accounts.language', { body: { language }, token }),
    addAddress: (body, token) => call('accounts.addAddress', { body, token }),
    findUser: (query, token) => call('accounts.findUser', { query, token }),
    setRole: (userId, role, token) => call('accounts.setRole', { params: { id: userId }, body: { role }, token }),
    suspend: (userId, reason, token) => call('accounts.suspend', { params: { id: userId }, body: { reason }, token }),
    reinstate: (userId, token) => call('accounts.reinstate', { params: { id: userId }, token }),
    unlock: (userId, token) => call('accounts.unlock', { params: { id: userId }, token }),
    activities: () => call('catalog.activities'),
    slots: (activityId, date) => call('catalog.slots', { params: { id: activityId }, query: { date } }),
    addOns: () => call('catalog.addOns'),
    price: (body) => call('catalog.price', { body }),
    createCatalogItem: (kind, entity, token) => (call as (route: HttpRouteId, input: RouteCall<HttpRouteId>) => Promise<HubResult<never>>)(CATALOG_CREATE[kind], { body: entity, token } as RouteCall<HttpRouteId>),
    updateCatalogItem: (kind, id, patch, token) => call('catalog.update', { params: { kind, id }, body: patch, token }),
    booking: (bookingId, token) => call('bookings.booking', { params: { id: bookingId }, token }),
    cancellation: (bookingId, token) => call('bookings.cancellation', { params: { id: bookingId }, token }),
    cancel: (bookingId, body, token) => call('bookings.cancel', { params: { id: bookingId }, body, token }),
    holds: (query, token) => call('bookings.holds', { query, token }),
    changeBooking: (bookingId, body, token) => call('bookings.change', { params: { id: bookingId }, body, token }),
    withdrawBookingChange: (bookingId, token) => call('bookings.changeWithdraw', { params: { id: bookingId }, body: {}, token }),
    resendTickets: (bookingId, token) => call('bookings.resendTickets', { params: { id: bookingId }, token }),
    resendStatus: (bookingId, reference, token) => call('bookings.resendStatus', { params: { id: bookingId }, query: { reference }, token }),
    bookingHistory: (bookingId, token) => call('bookings.history', { params: { id: bookingId }, token }),
    pay: (bookingId, method, token) => call('payments.pay', { params: { id: bookingId }, body: { method }, token }),
    submitHostedPayment: (gatewayRef, fields) => raw('payments.hostedSubmit', { params: { ref: gatewayRef }, body: fields }),
    webhook: (provider, rawBody, headers) => call('payments.webhook', { params: { provider }, rawBody, headers } as RouteCall<'payments.webhook'>),
    tickets: (bookingId, token) => call('tickets.tickets', { params: { id: bookingId }, token }),
    ticketQr: (ticketId, file, token) => raw('tickets.qr', { params: { id: ticketId, file }, token }),
    ticketKeys: () => document('tickets.ticketKeys'),
    transactions: (query, token) => call('payments.transactions', { query, token }),
    refund: (body, token) => call('payments.refund', { body, token }),
    defineLockers: (body, token) => call('lockers.define', { body, token }),
    assignLocker: (lockerId, band, token) => call('lockers.assign', { params: { id: lockerId }, body: { band }, token }),
    releaseLocker: (lockerId, token) => call('lockers.release', { params: { id: lockerId }, token }),
    lockerOutOfService: (lockerId, token) => call('lockers.outOfService', { params: { id: lockerId }, token }),
    lockerBackInService: (lockerId, token) => call('lockers.backInService', { params: { id: lockerId }, token }),
    defineEquipment: (body, token) => call('rentals.define', { body, token }),
    chargeEquipment: (itemId, reason, token) => call('rentals.charge', { params: { id: itemId }, body: { reason }, token }),
    equipmentRepaired: (itemId, token) => call('rentals.repaired', { params: { id: itemId }, token }),
    equipmentOutOfService: (itemId, note, token) => call('rentals.outOfService', { params: { id: itemId }, body: note === undefined ? {} : { note }, token }),
    checkOut: (bookingId, token) => call('rentals.checkOut', { params: { id: bookingId }, token }),
    list: (list, query, token) => call('lists.list', { params: { list }, query, token }),
    acknowledgeAlert: (alertId, token) => call('lists.acknowledgeAlert', { params: { id: alertId }, token }),
    resolveAlert: (alertId, note, token) => call('lists.resolveAlert', { params: { id: alertId }, body: note === undefined ? {} : { note }, token }),
    mintDevice: (body, token) => call('admin.devices', { body, token }),
    audit: (query, token) => call('admin.audit', { query, token }),
    menu: () => call('food.menu'),
    adminMenu: (token) => call('food.adminMenu', { token }),
    setSoldOut: (itemId, body, token) => call('food.soldOut', { params: { id: itemId }, body, token }),
    foodOrder: (orderId, token) => call('food.order', { params: { id: orderId }, token }),
    cancelFoodOrder: (orderId, body, token) => call('food.cancel', { params: { id: orderId }, body, token }),
    placeVisitOrder: (bookingId, body, token) => call('food.visitOrder', { params: { id: bookingId }, body, token }),
    payFoodOrder: (orderId, method, token) => call('food.payOrder', { params: { id: orderId }, body: { method }, token }),
    foodReport: (query, token) => call('food.report', { query, token }),
    vapidKey: () => call('notifications.vapidKey'),
    subscribePush: (subscription, token) => call('notifications.subscribe', { body: subscription, token }),
    unsubscribePush: (endpoint, token) => call('notifications.unsubscribe', { body: { endpoint }, token }),
    health: () => document('node.healthz'),
    readiness: () => document('node.readyz'),
    async metrics() {
      const answer = await raw('node.metrics');
      if (!answer.ok) return answer;
      const text = await answer.data.text();
      return answer.data.ok ? { ok: true, data: text } : clientRefusal('client.bad_answer', `/metrics answered ${answer.data.status}`);
    },
    jwks: () => document('node.jwks'),
    openApi: () => document('node.openapi'),
    asyncApi: () => document('node.asyncapi'),
  };
}

/** The data of an accepted answer; throws with the code and message of a refusal. */
export function unwrap<T>(result: HubResult<T>): T {
  if (result.ok) return result.data;
  throw new Error(`${result.code}: ${result.message}`);
}
