/**
 * The Venue Hub client SDK: a typed wrapper over socket.io-client and fetch for every screen,
 * device, test and bench. Its method types are derived from the contract (`machines/contract`):
 * every socket event and HTTP route has a method (SOCKET_EVENT_METHODS, HTTP_ROUTE_METHODS), and
 * `hub.call(event, payload)` / `api.call(routeId, {params, query, body, token})` reach any of
 * them generically.
 *
 *   const hub = connectHub({ url: ['http://hub-1:8080', 'http://hub-2:8080'], token });
 *   await hub.ready;                                   // rejects with HubError{code}
 *   hub.subscribeActor({ kind: 'booking', id }, (state, { gap }) => render(state));
 *   const answer = await hub.command('booking', id, { type: 'booking.submit' });
 *   if (!answer.ok) show(answer.code);                 // server code or client.* code
 *   followFeedRows(hub, { feed: 'lockers' }, { list: 'lockers' }, (rows) => render(rows));  // snapshot, then stream
 *
 *   const api = createHubApi({ url });                 // the HTTP API: sign-up, catalog, pay, tickets
 */
export { connectHub, SERVER_PUSH_METHODS, SOCKET_EVENT_METHODS } from './hub-client.js';
export { createHubApi, HTTP_ROUTE_METHODS, unwrap } from './hub-api.js';
export { createHttpCaller } from './http-call.js';
export type {
  AuditEntry,
  BookingTicket,
  CancellationTerms,
  CatalogActivity,
  CatalogAddOn,
  CatalogEntity,
  CatalogEntityInput,
  CatalogTranslations,
  CatalogKind,
  CatalogSlot,
  CatalogTicketType,
  FetchLike,
  HubAccount,
  HubApi,
  HubApiOptions,
  HttpCaller,
  LockerRow,
  PageRoute,
  PriceQuote,
  RefundAnswer,
  RefundRequest,
  RouteAnswer,
  RouteCall,
  Selection,
  SignedIn,
  StartedPayment,
  Transaction,
  VisitOrderRequest,
} from './hub-api.js';
export type { AvailabilityWatch, ConnectHubOptions, HubClient, LevelWatch, RequestOptions } from './hub-client.js';
export type { ConnectionStatus, HubClientLog, HubSocket, SessionEnd, TokenSource } from './connection.js';
export type { ActorListener, ActorSubscription, FeedListener, FeedSnapshotListener, FeedSubscription, StateUpdate } from './subscriptions.js';
export { followFeedRows } from './feed-rows.js';
export type { FeedRows, FeedRowsList } from './feed-rows.js';
export { CLIENT_ERROR_CODES, HubError, isClientErrorCode, isServerErrorCode } from './codes.js';
export type { ClientErrorCode, ClientRefusal, HubErrorCode, HubResult } from './codes.js';
export { decideVersion } from './version-order.js';
export type { StateSource, VersionDecision } from './version-order.js';
