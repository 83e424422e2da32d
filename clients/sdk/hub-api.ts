/**
 * The hub's HTTP API as a client calls it (docs/protocol.md, "HTTP API"): accounts and sessions,
 * the public catalog, checkout and tickets, and the staff routes. Every call answers the hub's
 * `{ok, data} | {ok: false, code, message}` as a `HubResult`, like the socket calls do; a request
 * that gets no JSON answer is `client.unreachable` or `client.bad_answer`.
 *
 *   const api = createHubApi({ url: 'http://localhost:8080' });
 *   const { verificationId } = unwrap(await api.register({ name: 'Sara', email }));
 *   const signedIn = unwrap(await api.verify({ verificationId, code }));   // code from the email
 *   const hub = connectHub({ url, token: signedIn.accessToken });          // then hold, submit …
 *   const { redirectUrl } = unwrap(await api.pay(bookingId, 'card', signedIn.accessToken));
 *
 * `fetch` is the platform's unless one is given (a Node test can bind each client to its own
 * source address, for instance).
 */
import type { ActorState, PersonRole } from '../../machines/contract/wire.js';
import { asResult, clientRefusal } from './codes.js';
import type { HubResult } from './codes.js';

/** The subset of `fetch` the client uses. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

/** Options of `createHubApi`. */
export interface HubApiOptions {
  /** The hub's base URL, e.g. `http://localhost:8080`. */
  url: string;
  fetch?: FetchLike;
}

/** A person's account as the hub shows it to them. */
export interface HubAccount {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  role: PersonRole;
  status: 'active' | 'suspended';
  preferences: { email: boolean; sms: boolean; push: boolean; in_app: boolean };
  pushEndpoints: number;
}

/** The answer of a verification or completed sign-in; times in epoch ms. */
export interface SignedIn {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  account: HubAccount;
}

/** A ticket type on sale; prices in halalas. */
export interface CatalogTicketType {
  ticketTypeId: string;
  activityId: string;
  name: string;
  price: number;
  requiresApproval: boolean;
  minPerBooking: number;
  maxPerBooking: number;
  admits: number;
  active: boolean;
}

/** An activity with its ticket types. */
export interface CatalogActivity {
  activityId: string;
  name: string;
  description: string;
  zone: string;
  active: boolean;
  ticketTypes: CatalogTicketType[];
}

/** An add-on sold with a booking (a locker, rented equipment, food); price in halalas. */
export interface CatalogAddOn {
  addOnId: string;
  kind: 'locker' | 'equipment' | 'food';
  name: string;
  description: string;
  price: number;
  active: boolean;
}

/** One slot of a day with its live remaining capacity. */
export interface CatalogSlot {
  slotId: string;
  activityId: string;
  date: string;
  startTime: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  remaining: number;
  bookable: boolean;
}

/** A price quote, computed as `booking:hold` prices a hold. */
export interface PriceQuote {
  slotId: string;
  activityId: string;
  startsAt: number;
  endsAt: number;
  lines: Array<{ ticketTypeId: string; qty: number; unitPrice: number }>;
  addOns: Array<{ addOnId: string; kind: CatalogAddOn['kind']; qty: number; unitPrice: number }>;
  requiresApproval: boolean;
  seats: number;
  /** The food pre-order as the menu priced it (its total is inside `total`). */
  food?: { lines: Array<{ lineId: string; itemId: string; name: string; qty: number; unitPrice: number }>; total: number; vat: number; prepMinutes: number };
  total: number;
}

/** Where the payer goes to pay. */
export interface StartedPayment {
  paymentId: string;
  gatewayRef: string;
  redirectUrl: string;
}

/** A ticket of a booking; `token` (the signed QR payload) only while it admits. */
export interface BookingTicket {
  ticketId: string;
  bookingId: string;
  ticketTypeId: string;
  state: string;
  token?: string;
}

/** One money movement in the transaction log. */
export interface Transaction {
  txnId: string;
  paymentId: string;
  bookingId: string;
  visitorId: string;
  movement: 'payment.pending' | 'payment.captured' | 'payment.failed' | 'refund.requested' | 'refund.succeeded' | 'refund.failed' | 'refund.external';
  amount: number;
  currency: 'SAR';
  status: 'pending' | 'succeeded' | 'failed';
  by: string;
  at: number;
  method?: 'card' | 'mada' | 'applepay';
  refundId?: string;
  /** Why: the refund's reason, a failure, or what a pending payment waits for. */
  reason?: string;
  /** On payment rows, the seed's status: pending, authorized (approved and captured), failed. */
  paymentStatus?: 'pending' | 'authorized' | 'failed';
}

/** A finance refund: everything left cancels the booking; a part keeps the visit or cancels listed tickets. */
export interface RefundRequest {
  paymentId: string;
  /** Halalas. */
  amount: number;
  /** Once per form: a double click is one refund. */
  requestId: string;
  policy?: 'keep_visit' | 'cancel_tickets';
  /** With `cancel_tickets`: the tickets that stop admitting. */
  ticketIds?: string[];
}

/** What a finance refund answers. */
export interface RefundAnswer {
  refundId: string;
  paymentId: string;
  amount: number;
  bookingId: string;
  bookingState: string;
  policy: 'keep_visit' | 'cancel_tickets';
}

/** What cancelling a booking gives back under the venue's policy (`unpaid`: nothing was captured). */
export interface CancellationTerms {
  state: string;
  refundAmount: number;
  rule: 'full' | 'partial' | 'none' | 'unpaid';
}

/** Selected items of a hold or a price quote. */
export interface Selection {
  slotId: string;
  items: Array<{ ticketTypeId: string; qty: number }>;
  addOns?: Array<{ addOnId: string; qty: number }>;
  /** A food pre-order: an order request `{lines, pickup}`, priced by the hub's menu. */
  food?: unknown;
}

/** Catalog entity kinds staff create. */
export type CatalogKind = 'activity' | 'ticket_type' | 'schedule' | 'add_on' | 'menu_category' | 'menu_item';

/** The HTTP API client. Signed-in calls take the access token last. */
export interface HubApi {
  /** Any route: `{ok, data}` parsed into a `HubResult`. */
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options?: { body?: unknown; token?: string }): Promise<HubResult<T>>;
  register(body: { name: string; email?: string; phone?: string; channel?: 'email' | 'sms' }): Promise<HubResult<{ verificationId: string }>>;
  resend(verificationId: string): Promise<HubResult<{ verificationId: string }>>;
  verify(body: { verificationId: string; code: string }): Promise<HubResult<SignedIn>>;
  /** Redeems the emailed link (`/verify#v=<verificationId>&t=<token>`). */
  verifyLink(body: { verificationId: string; token: string }): Promise<HubResult<SignedIn>>;
  signIn(body: { email: string } | { phone: string }): Promise<HubResult<{ verificationId: string }>>;
  completeSignIn(body: { verificationId: string; code: string }): Promise<HubResult<SignedIn>>;
  /** A new access token (with the person's current role) and the rotated refresh token. */
  refresh(refreshToken: string): Promise<HubResult<Omit<SignedIn, 'account'>>>;
  me(token: string): Promise<HubResult<HubAccount>>;
  /** The policy actions the signed-in person's role allows (staff screens show only those). */
  permissions(token: string): Promise<HubResult<{ role: PersonRole; actions: string[] }>>;
  preferences(patch: Partial<HubAccount['preferences']>, token: string): Promise<HubResult<HubAccount>>;
  activities(): Promise<HubResult<{ timeZone: string; activities: CatalogActivity[] }>>;
  slots(activityId: string, date: string): Promise<HubResult<{ activityId: string; date: string; timeZone: string; slots: CatalogSlot[] }>>;
  addOns(): Promise<HubResult<{ addOns: CatalogAddOn[] }>>;
  price(body: Selection): Promise<HubResult<PriceQuote>>;
  /** The caller's booking as it is now. */
  booking(bookingId: string, token: string): Promise<HubResult<ActorState>>;
  /** What cancelling now would give back, without cancelling. */
  cancellation(bookingId: string, token: string): Promise<HubResult<CancellationTerms>>;
  /** Cancels the caller's booking under the venue's refund policy. */
  cancel(bookingId: string, body: { reason?: string }, token: string): Promise<HubResult<CancellationTerms>>;
  pay(bookingId: string, method: 'card' | 'mada' | 'applepay', token: string): Promise<HubResult<StartedPayment>>;
  tickets(bookingId: string, token: string): Promise<HubResult<BookingTicket[]>>;
  transactions(query: { bookingId?: string; since?: number; limit?: number }, token: string): Promise<HubResult<Transaction[]>>;
  refund(body: RefundRequest, token: string): Promise<HubResult<RefundAnswer>>;
  createCatalogItem<T extends object>(kind: CatalogKind, entity: T, token: string): Promise<HubResult<T>>;
  setRole(userId: string, role: PersonRole, token: string): Promise<HubResult<{ account: HubAccount; revokedBefore: number | null }>>;
}

/** Creates the client. */
export function createHubApi(options: HubApiOptions): HubApi {
  const base = options.url.replace(/\/+$/, '');
  const send: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));

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

  const query = (q: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    const s = params.toString();
    return s === '' ? '' : `?${s}`;
  };
  const id = encodeURIComponent;

  return {
    request,
    register: (body) => request('POST', '/api/auth/register', { body }),
    resend: (verificationId) => request('POST', '/api/auth/resend', { body: { verificationId } }),
    verify: (body) => request('POST', '/api/auth/verify', { body }),
    verifyLink: (body) => request('POST', '/api/auth/verify-link', { body }),
    signIn: (body) => request('POST', '/api/auth/sign-in', { body }),
    completeSignIn: (body) => request('POST', '/api/auth/sign-in/complete', { body }),
    refresh: (refreshToken) => request('POST', '/api/auth/refresh', { body: { refreshToken } }),
    me: (token) => request('GET', '/api/me', { token }),
    permissions: (token) => request('GET', '/api/me/permissions', { token }),
    preferences: (patch, token) => request('PATCH', '/api/me/preferences', { body: patch, token }),
    activities: () => request('GET', '/api/catalog/activities'),
    slots: (activityId, date) => request('GET', `/api/catalog/activities/${id(activityId)}/slots${query({ date })}`),
    addOns: () => request('GET', '/api/catalog/add-ons'),
    price: (body) => request('POST', '/api/catalog/price', { body }),
    booking: (bookingId, token) => request('GET', `/api/bookings/${id(bookingId)}`, { token }),
    cancellation: (bookingId, token) => request('GET', `/api/bookings/${id(bookingId)}/cancellation`, { token }),
    cancel: (bookingId, body, token) => request('POST', `/api/bookings/${id(bookingId)}/cancel`, { body, token }),
    pay: (bookingId, method, token) => request('POST', `/api/bookings/${id(bookingId)}/pay`, { body: { method }, token }),
    tickets: (bookingId, token) => request('GET', `/api/bookings/${id(bookingId)}/tickets`, { token }),
    transactions: (q, token) => request('GET', `/api/admin/transactions${query(q)}`, { token }),
    refund: (body, token) => request('POST', '/api/admin/refunds', { body, token }),
    createCatalogItem: (kind, entity, token) => request('POST', `/api/admin/catalog/${id(kind)}`, { body: entity, token }),
    setRole: (userId, role, token) => request('POST', `/api/admin/users/${id(userId)}/role`, { body: { role }, token }),
  };
}

/** The data of an accepted answer; throws with the code and message of a refusal. */
export function unwrap<T>(result: HubResult<T>): T {
  if (result.ok) return result.data;
  throw new Error(`${result.code}: ${result.message}`);
}
