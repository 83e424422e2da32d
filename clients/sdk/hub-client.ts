/**
 * The typed Venue Hub client: one logical connection (see `connection.ts`), state-based
 * actor subscriptions with gap detection, feed subscriptions, and commands answered with a
 * `HubResult` within a timeout.
 *
 *   subscribeActor(ref) ──actor:subscribe──▶ hub: {version v, state}      keep v
 *   actor:changed v+1 ─────────────────────▶ apply
 *   actor:changed v+3 (gap) ───────────────▶ apply, then actor:subscribe again (resync)
 *   reconnect (any node) ──────────────────▶ actor:subscribe + feed:subscribe for everything held
 */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { z } from 'zod';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import type { ActorRef, ActorState, AdminRevoke, AdminRevoked, BookingHold, ClientEventName, DashboardSummary, EventAck, EventInput, FeedSubscribe, FeedSubscribed, KitchenBump, KitchenRecall, ListPage, ListRequest, LockerUnlock, MenuChanged, MenuView, SlotAvailability } from '../../machines/contract/wire.js';
import { asResult, clientRefusal } from './codes.js';
import type { HubResult } from './codes.js';
import { openConnection } from './connection.js';
import type { Connection, ConnectionStatus, HubClientLog, HubSocket, SessionEnd, TokenSource } from './connection.js';
import { createSubscriptions } from './subscriptions.js';
import type { ActorListener, ActorSubscription, FeedListener, FeedSnapshotListener, FeedSubscription } from './subscriptions.js';

/** Options of `connectHub`. */
export interface ConnectHubOptions {
  /** One hub URL, or several: reconnects go round-robin through the list. */
  url: string | readonly string[];
  /** Sent as `auth: {token}` on every handshake. */
  token: TokenSource;
  /** Default `['websocket']` (the hub serves WebSocket only). */
  transports?: ('websocket' | 'polling' | 'webtransport')[];
  /** Default timeout of commands and subscribe calls, ms (default 10 000). */
  requestTimeoutMs?: number;
  /** `ready` rejects with `client.unreachable` when not connected by then, ms (default 15 000). */
  connectTimeoutMs?: number;
  /** Reconnect backoff bounds, ms (default 100 and 5 000). */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Random extra delay on top of a drain's `retryAfterMs`, ms (default 250). */
  drainJitterMs?: number;
  /** Re-subscribe everything this often as a safety net, ms; 0 (default) = only on gaps and reconnects. */
  resyncIntervalMs?: number;
  log?: HubClientLog;
  /** Passed to socket.io-client as is (e.g. `path`, or `extraHeaders` in Node). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** Per-call options of requests. */
export interface RequestOptions {
  /** Makes a retry answer the same instead of applying twice (8–128 characters). */
  commandId?: string;
  timeoutMs?: number;
}

/** A connected (or connecting) hub client. */
export interface HubClient {
  /** Resolves on the first connection; rejects with a `HubError` carrying the handshake's code. */
  readonly ready: Promise<void>;
  /** Resolves once, when the session is over: `session:ended`, a refused reconnect, or `close()`. */
  readonly ended: Promise<SessionEnd>;
  /** True while a socket is connected. */
  readonly connected: boolean;
  /** The URL of the current (or next) socket. */
  readonly url: string;
  /** Follows one actor: `onState` gets every newer state, in version order. */
  subscribeActor(ref: ActorRef, onState: ActorListener): ActorSubscription;
  /**
   * Follows one feed: `onSnapshot` gets its rows first (and again whenever a resync needs a fresh
   * snapshot), `onChange` every change after it; changes older than one already seen for the same
   * actor are dropped. Reconnects and `feed:resync` ask again from the last cursor.
   */
  subscribeFeed(feed: FeedSubscribe, onChange: FeedListener, onSnapshot?: FeedSnapshotListener): FeedSubscription;
  /**
   * Follows the places left in some slots (a day's slots on a booking screen): `onLevel` gets the
   * current readings, then every newer one; re-asked after every reconnect. Signed-in people only.
   */
  watchAvailability(slotIds: readonly string[], onLevel: (level: SlotAvailability) => void): AvailabilityWatch;
  /** Sends one event to one actor; answers with the actor's new state or a coded refusal. */
  command(kind: string, id: string, event: { type: string; [key: string]: unknown }, options?: RequestOptions): Promise<HubResult<ActorState>>;
  /** Holds places in a slot, creating the booking in `held`. */
  hold(request: z.input<typeof BookingHold>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Ends every session of a person or device (super admins only). */
  revoke(request: AdminRevoke, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<AdminRevoked>>;
  /** One page of a read model (bookings, payments, tickets, lockers, equipment, alerts), newest first. */
  listPage(request: ListRequest, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ListPage>>;
  /** Staff: acknowledge an alert (who and when are recorded). */
  acknowledgeAlert(alertId: string, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Staff: resolve an alert, with an optional note. */
  resolveAlert(alertId: string, note?: string, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /**
   * Sends any client event of the contract and waits for its ack (gate scans, lockers, rentals,
   * wristbands …): the payload and the answer are typed from machines/contract.
   */
  call<E extends ClientEventName>(event: E, payload: EventInput<E>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<E>>>;
  /** The doors this locker bank device must open (`locker:unlock`); returns an unsubscribe. */
  onLockerUnlock(listener: (unlock: LockerUnlock) => void): () => void;
  /** A kitchen board bumps its station's ticket of an order from the stage it shows. */
  bump(request: KitchenBump, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Takes back the last bump of a station's ticket. */
  recall(request: KitchenRecall, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** The expo sends a paid or scheduled order to the kitchen now. */
  fireOrder(orderId: string, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** The expo hands an order over at the pickup point. */
  deliverOrder(orderId: string, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Cancels a food order (visitors: their own, before the kitchen starts). */
  cancelOrder(orderId: string, reason?: string, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Follows the menu: `onMenu` gets the whole menu (now and after every reconnect), `onChange` every 86 and return. */
  followMenu(onMenu: (menu: MenuView) => void, onChange: (change: MenuChanged) => void): MenuWatch;
  /** Re-subscribes every actor and feed now (after an outage the caller knows of). */
  resync(): void;
  onStatus(listener: (status: ConnectionStatus, url: string) => void): () => void;
  /**
   * The dashboard's counts as they move (`dashboard:summary`, to subscribers of the dashboard feed),
   * older ones than the newest seen dropped; returns an unsubscribe. The feed's snapshot carries the first.
   */
  onDashboardSummary(listener: (summary: DashboardSummary) => void): () => void;
  /** In-app alerts for the signed-in person (`notification:alert`), each id once; returns an unsubscribe. */
  onAlert(listener: (alert: NotificationAlert) => void): () => void;
  /** Ends the session; pending requests answer `client.disconnected`, later ones `client.closed`. */
  close(): void;
}

/** A handle on `watchAvailability`. */
export interface AvailabilityWatch {
  /** The first answer: the slots' current readings (unknown slots are left out). */
  readonly ready: Promise<HubResult<{ slots: SlotAvailability[] }>>;
  unsubscribe(): void;
}

/** A handle on `followMenu`. */
export interface MenuWatch {
  /** The first answer: the menu now. */
  readonly ready: Promise<HubResult<MenuView>>;
  unsubscribe(): void;
}

/** Alert ids remembered to show each alert once (alerts are at most once, but may come from two nodes). */
const SEEN_ALERTS = 1_000;

const silent: HubClientLog = { debug: () => {}, info: () => {}, warn: () => {} };

/** Ack callback as socket.io-client types it under `timeout()`: an error first, then the answer. */
type TimedAck = (error: Error | null, answer: unknown) => void;

/** Connects to the hub (starts at once; await `ready`). */
export function connectHub(options: ConnectHubOptions): HubClient {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const log = options.log ?? silent;
  // Requests need the connection and the connection's hooks need the subscriptions: break the cycle here.
  const late: { connection?: Connection } = {};

  /**
   * Emits once a socket is connected and waits for the ack, all within `timeoutMs`. A
   * `hub.draining` refusal means the event was not run, so it is sent again on the next socket
   * (the draining node sends `session:reconnect` right after).
   */
  async function request<T>(timeoutMs: number, send: (socket: HubSocket, remainingMs: number, ack: TimedAck) => void): Promise<HubResult<T>> {
    const conn = late.connection;
    if (!conn || conn.isEnded()) return clientRefusal('client.closed', 'the client is closed');
    const deadline = Date.now() + timeoutMs;
    let draining: HubSocket | undefined;
    for (;;) {
      const socket = await conn.whenConnected(deadline, draining);
      if (!socket) {
        return conn.isEnded()
          ? clientRefusal('client.closed', 'the client is closed')
          : clientRefusal('client.timeout', `not connected to the hub within ${timeoutMs} ms`);
      }
      const answer = await once<T>(socket, Math.max(1, deadline - Date.now()), timeoutMs, send);
      if (answer.ok || answer.code !== 'hub.draining') return answer;
      draining = socket;
    }
  }

  function once<T>(socket: HubSocket, remainingMs: number, timeoutMs: number, send: (socket: HubSocket, remainingMs: number, ack: TimedAck) => void): Promise<HubResult<T>> {
    return new Promise((resolve) => {
      send(socket, remainingMs, (error, answer) => {
        if (!error) return resolve(asResult<T>(answer));
        const lost = /disconnected/i.test(error.message);
        resolve(lost ? clientRefusal('client.disconnected', 'the connection dropped before the hub answered') : clientRefusal('client.timeout', `no answer within ${timeoutMs} ms`));
      });
    });
  }

  const unlockListeners = new Set<(unlock: LockerUnlock) => void>();
  const alertListeners = new Set<(alert: NotificationAlert) => void>();
  const seenAlerts = new Set<string>();
  function onAlertEvent(alert: NotificationAlert): void {
    if (seenAlerts.has(alert.id)) return;
    seenAlerts.add(alert.id);
    if (seenAlerts.size > SEEN_ALERTS) seenAlerts.delete(seenAlerts.values().next().value ?? '');
    for (const listener of alertListeners) listener(alert);
  }

  const summaryListeners = new Set<(summary: DashboardSummary) => void>();
  let newestSummary = -1;
  function onSummary(summary: DashboardSummary): void {
    // Pushes from two nodes may cross: keep the counts of the newest change log position.
    if (summary.cursor < newestSummary) return;
    newestSummary = summary.cursor;
    for (const listener of summaryListeners) listener(summary);
  }

  // Slot availability watchers: the newest reading per slot goes to every watcher of that slot.
  const availabilityWatchers = new Set<{ slots: ReadonlySet<string>; onLevel: (level: SlotAvailability) => void }>();
  const menuWatchers = new Set<{ onMenu: (menu: MenuView) => void; onChange: (change: MenuChanged) => void }>();
  const askMenu = () => request<MenuView>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('menu:subscribe', {}, ack));
  const deliverMenu = (answer: HubResult<MenuView>) => {
    if (answer.ok) for (const watcher of menuWatchers) watcher.onMenu(answer.data);
  };
  const newestLevel = new Map<string, number>();
  function onAvailability(level: SlotAvailability): void {
    if ((newestLevel.get(level.slotId) ?? -1) > level.at) return;
    newestLevel.set(level.slotId, level.at);
    for (const watcher of availabilityWatchers) if (watcher.slots.has(level.slotId)) watcher.onLevel(level);
  }
  function askAvailability(slotIds: readonly string[]): Promise<HubResult<{ slots: SlotAvailability[] }>> {
    return request<{ slots: SlotAvailability[] }>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('availability:subscribe', { slotIds: [...slotIds] }, ack));
  }
  function deliverReadings(answer: HubResult<{ slots: SlotAvailability[] }>): void {
    if (answer.ok) for (const level of answer.data.slots) onAvailability(level);
  }

  const subscriptions = createSubscriptions({
    log,
    subscribeActor: (ref) =>
      request<ActorState>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('actor:subscribe', ref, ack)),
    unsubscribeActor: (ref) =>
      request<{ unsubscribed: true }>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('actor:unsubscribe', ref, ack)),
    subscribeFeed: (feed) =>
      request<FeedSubscribed>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('feed:subscribe', feed, ack)),
    unsubscribeFeed: (feed) =>
      request<{ unsubscribed: true }>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('feed:unsubscribe', feed, ack)),
  });

  const conn = openConnection(
    {
      urls: typeof options.url === 'string' ? [options.url] : [...options.url],
      token: options.token,
      transports: options.transports ?? ['websocket'],
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      backoffMinMs: options.backoffMinMs ?? 100,
      backoffMaxMs: options.backoffMaxMs ?? 5_000,
      drainJitterMs: options.drainJitterMs ?? 250,
      log,
      ...(options.socketOptions ? { socketOptions: options.socketOptions } : {}),
    },
    {
      attach(socket) {
        socket.on('actor:changed', (change) => subscriptions.onActorChanged(change));
        socket.on('feed:changed', (change) => subscriptions.onFeedChanged(change));
        socket.on('notification:alert', onAlertEvent);
        socket.on('slot:availability', onAvailability);
        socket.on('dashboard:summary', onSummary);
        socket.on('menu:changed', (change) => {
          for (const watcher of menuWatchers) watcher.onChange(change);
        });
        socket.on('locker:unlock', (unlock) => {
          for (const listener of unlockListeners) listener(unlock);
        });
        // Pushes between hub nodes may have been lost: ask again from every cursor held.
        socket.on('feed:resync', () => subscriptions.resubscribeAll('fanout interrupted'));
      },
      connected(_socket, again) {
        if (again) {
          subscriptions.resubscribeAll('reconnect');
          for (const watcher of availabilityWatchers) void askAvailability([...watcher.slots]).then(deliverReadings);
          // An 86 while disconnected was missed: the whole menu again.
          if (menuWatchers.size > 0) void askMenu().then(deliverMenu);
        }
      },
    },
  );
  late.connection = conn;

  const resyncTimer = options.resyncIntervalMs ? setInterval(() => subscriptions.resubscribeAll('interval'), options.resyncIntervalMs) : undefined;
  void conn.ended.then(() => {
    clearInterval(resyncTimer);
    subscriptions.clear();
  });

  return {
    ready: conn.ready,
    ended: conn.ended,
    get connected() {
      return conn.socket()?.connected === true;
    },
    get url() {
      return conn.url();
    },
    subscribeActor: (ref, onState) => subscriptions.actor(ref, onState),
    subscribeFeed: (feed, onChange, onSnapshot) => subscriptions.feed(feed, onChange, onSnapshot),
    watchAvailability(slotIds, onLevel) {
      const watcher = { slots: new Set(slotIds), onLevel };
      availabilityWatchers.add(watcher);
      const ready = askAvailability(slotIds).then((answer) => {
        deliverReadings(answer);
        return answer;
      });
      return {
        ready,
        unsubscribe() {
          if (!availabilityWatchers.delete(watcher)) return;
          const still = new Set([...availabilityWatchers].flatMap((w) => [...w.slots]));
          const gone = [...watcher.slots].filter((slotId) => !still.has(slotId));
          if (gone.length > 0 && conn.socket()?.connected) conn.socket()?.emit('availability:unsubscribe', { slotIds: gone }, () => {});
        },
      };
    },
    command(kind, id, event, requestOptions = {}) {
      const payload = requestOptions.commandId === undefined ? { kind, id, event } : { kind, id, event, commandId: requestOptions.commandId };
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('actor:command', payload, ack));
    },
    hold(holdRequest, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('booking:hold', holdRequest, ack));
    },
    revoke(revokeRequest, requestOptions = {}) {
      return request<AdminRevoked>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('admin:revoke', revokeRequest, ack));
    },
    listPage(listRequest, requestOptions = {}) {
      return request<ListPage>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('list:page', listRequest, ack));
    },
    acknowledgeAlert(alertId, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('alert:acknowledge', { alertId }, ack));
    },
    resolveAlert(alertId, note, requestOptions = {}) {
      const payload = note === undefined ? { alertId } : { alertId, note };
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('alert:resolve', payload, ack));
    },
    bump(bumpRequest, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('kitchen:bump', bumpRequest, ack));
    },
    recall(recallRequest, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('kitchen:recall', recallRequest, ack));
    },
    fireOrder(orderId, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('kitchen:fire', { orderId }, ack));
    },
    deliverOrder(orderId, requestOptions = {}) {
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('kitchen:deliver', { orderId }, ack));
    },
    cancelOrder(orderId, reason, requestOptions = {}) {
      const payload = reason === undefined ? { orderId } : { orderId, reason };
      return request<ActorState>(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('food:cancel', payload, ack));
    },
    followMenu(onMenu, onChange) {
      const watcher = { onMenu, onChange };
      menuWatchers.add(watcher);
      const ready = askMenu().then((answer) => {
        if (answer.ok && menuWatchers.has(watcher)) onMenu(answer.data);
        return answer;
      });
      return {
        ready,
        unsubscribe() {
          if (menuWatchers.delete(watcher) && menuWatchers.size === 0 && conn.socket()?.connected) conn.socket()?.emit('menu:unsubscribe', {}, () => {});
        },
      };
    },
    call(event, payload, requestOptions = {}) {
      // The event's name and payload are matched by the caller's types; socket.io's emit overloads cannot follow a generic name.
      type Emit = (event: string, payload: unknown, ack: TimedAck) => void;
      return request(requestOptions.timeoutMs ?? requestTimeoutMs, (socket, ms, ack) => (socket.timeout(ms).emit as unknown as Emit)(event, payload, ack));
    },
    onLockerUnlock(listener) {
      unlockListeners.add(listener);
      return () => void unlockListeners.delete(listener);
    },
    resync: () => subscriptions.resubscribeAll('manual'),
    onStatus: (listener) => conn.onStatus(listener),
    onDashboardSummary(listener) {
      summaryListeners.add(listener);
      return () => void summaryListeners.delete(listener);
    },
    onAlert(listener) {
      alertListeners.add(listener);
      return () => void alertListeners.delete(listener);
    },
    close: () => conn.close(),
  };
}
