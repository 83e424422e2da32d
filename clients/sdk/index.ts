/**
 * The Venue Hub client SDK: a typed wrapper over socket.io-client for every screen, device,
 * test and bench. It imports only the wire contract (`machines/contract/wire.ts`).
 *
 *   const hub = connectHub({ url: ['http://hub-1:8080', 'http://hub-2:8080'], token });
 *   await hub.ready;                                   // rejects with HubError{code}
 *   hub.subscribeActor({ kind: 'booking', id }, (state, { gap }) => render(state));
 *   const answer = await hub.command('booking', id, { type: 'booking.submit' });
 *   if (!answer.ok) show(answer.code);                 // server code or client.* code
 *
 *   const api = createHubApi({ url });                 // the HTTP API: sign-up, catalog, pay, tickets
 */
export { connectHub } from './hub-client.js';
export { createHubApi, unwrap } from './hub-api.js';
export type {
  BookingTicket,
  CancellationTerms,
  CatalogActivity,
  CatalogAddOn,
  CatalogKind,
  CatalogSlot,
  CatalogTicketType,
  FetchLike,
  HubAccount,
  HubApi,
  HubApiOptions,
  PriceQuote,
  RefundAnswer,
  RefundRequest,
  Selection,
  SignedIn,
  StartedPayment,
  Transaction,
} from './hub-api.js';
export type { AvailabilityWatch, ConnectHubOptions, HubClient, RequestOptions } from './hub-client.js';
export type { ConnectionStatus, HubClientLog, HubSocket, SessionEnd, TokenSource } from './connection.js';
export type { ActorListener, ActorSubscription, FeedListener, FeedSnapshotListener, FeedSubscription, StateUpdate } from './subscriptions.js';
export { CLIENT_ERROR_CODES, HubError, isClientErrorCode, isServerErrorCode } from './codes.js';
export type { ClientErrorCode, ClientRefusal, HubErrorCode, HubResult } from './codes.js';
export { decideVersion } from './version-order.js';
export type { StateSource, VersionDecision } from './version-order.js';
