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
import type {
  ActorRef,
  ActorState,
  AdminRevoke,
  AdminRevoked,
  BandLink,
  BookingHold,
  ClientEventName,
  DashboardSummary,
  EquipmentAvailability,
  EventAck,
  EventInput,
  FeedSubscribe,
  FeedSubscribed,
  GateScan,
  KitchenBump,
  KitchenRecall,
  MenuChanged,
  MenuView,
  GateSync,
  ListPage,
  ListRequest,
  LockerClaim,
  LockerOpen,
  LockerUnlock,
  OccupancyLevel,
  PushPayload,
  RentalPickup,
  RentalReturn,
  ServerPushName,
  SlotAvailability,
} from '../../machines/contract/wire.js';
import { asResult, clientRefusal } from './codes.js';
import type { HubResult } from './codes.js';
import { openConnection } from './connection.js';
import type { Connection, ConnectionStatus, HubClientLog, HubSocket, SessionEnd, TokenSource } from './connection.js';
import { createMenuFollow } from './menu-follow.js';
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
   * Any client event of the socket contract, typed from it: the payload is the event's `payload`
   * schema's input, the answer its `ack`. Subscriptions made this way are not renewed after a
   * reconnect: use `subscribeActor`, `subscribeFeed` and the `watch…` methods for those.
   */
  call<E extends ClientEventName>(event: E, payload: EventInput<E>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<E>>>;
  /** The doors this locker bank device must open (`locker:unlock`); returns an unsubscribe. */
  onLockerUnlock(listener: (unlock: LockerUnlock) => void): () => void;
  /** Listens to a hub push of the socket contract, on this socket and every later one; returns an unsubscribe. */
  on<P extends ServerPushName>(push: P, listener: (payload: PushPayload<P>) => void): () => void;
  /** Gate devices: judge a scanned ticket (admit, exit, refuse). */
  scan(scan: z.input<typeof GateScan>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<'gate:scan'>>>;
  /** Gate devices: what the gate needs to keep admitting offline (keys, today's tickets of its zone, revocations). */
  offlineBundle(options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<'gate:offline_bundle'>>>;
  /** Gate devices: upload scans judged offline, oldest first; one result per scan. */
  syncOfflineScans(scans: z.input<typeof GateSync>['scans'], options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<'gate:sync'>>>;
  /** Rental desks: hand an item out to the wristband's booking; answers the item actor. */
  pickUpRental(pickup: z.input<typeof RentalPickup>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Rental desks: take an item back, ok or damaged. */
  returnRental(itemReturn: z.input<typeof RentalReturn>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Locker devices and the front desk: a band tapped on a locker; answers the unlock when it is the band's locker. */
  openLocker(open: z.input<typeof LockerOpen>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<EventAck<'locker:open'>>>;
  /** Locker devices and the front desk: a free locker of a size for the band (the same nonce answers the same locker). */
  claimLocker(claim: z.input<typeof LockerClaim>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /** Gates and the front desk: link a wristband to a ticket, or replace a lost band; answers the band actor. */
  linkBand(link: z.input<typeof BandLink>, options?: Pick<RequestOptions, 'timeoutMs'>): Promise<HubResult<ActorState>>;
  /**
   * Follows how many are inside some zones and slots: `onLevel` gets the current levels, then every
   * newer one (the newest `at` per zone or slot wins); re-asked after every reconnect.
   */
  watchOccupancy(scope: { zones?: readonly string[]; slotIds?: readonly string[] }, onLevel: (level: OccupancyLevel) => void): LevelWatch<{ levels: OccupancyLevel[] }>;
  /** Follows the item counts of some equipment types (staff, rental desks), like `watchOccupancy`. */
  watchEquipment(typeIds: readonly string[], onLevel: (level: EquipmentAvailability) => void): LevelWatch<{ levels: EquipmentAvailability[] }>;
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
  /**
   * Follows the menu: `onMenu` gets the whole menu (now, after every reconnect and after every edit
   * of an item or category, `menu:updated`), `onChange` every 86 and return.
   */
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

/** A handle on a `watch…` call. */
export interface LevelWatch<A> {
  /** The first answer: the current readings (unknown ones are left out). */
  readonly ready: Promise<HubResult<A>>;
  unsubscribe(): void;
}

/** A handle on `followMenu`. */
export interface MenuWatch {
  /** The first answer: the menu now. */
  readonly ready: Promise<HubResult<MenuView>>;
  unsubscribe(): void;
}

/** A handle on `watchAvailability`. */
export type AvailabilityWatch = LevelWatch<{ slots: SlotAvailability[] }>;

/**
 * The method of `HubClient` that sends each client event of the socket contract, and the one that
 * hears each push (`on` for the pushes a caller listens to directly). Declared over every event
 * and push name, so one added to the contract without a method here does not compile, and a test
 * checks each named method exists.
 */
export const SOCKET_EVENT_METHODS = {
  'actor:subscribe': 'subscribeActor',
  'actor:unsubscribe': 'subscribeActor',
  'actor:command': 'command',
  'feed:subscribe': 'subscribeFeed',
  'feed:unsubscribe': 'subscribeFeed',
  'list:page': 'listPage',
  'alert:acknowledge': 'acknowledgeAlert',
  'alert:resolve': 'resolveAlert',
  'booking:hold': 'hold',
  'availability:subscribe': 'watchAvailability',
  'availability:unsubscribe': 'watchAvailability',
  'admin:revoke': 'revoke',
  'gate:scan': 'scan',
  'gate:offline_bundle': 'offlineBundle',
  'gate:sync': 'syncOfflineScans',
  'rental:pickup': 'pickUpRental',
  'rental:return': 'returnRental',
  'equipment:subscribe': 'watchEquipment',
  'equipment:unsubscribe': 'watchEquipment',
  'occupancy:subscribe': 'watchOccupancy',
  'occupancy:unsubscribe': 'watchOccupancy',
  'locker:open': 'openLocker',
  'locker:claim': 'claimLocker',
  'band:link': 'linkBand',
  'kitchen:bump': 'bump',
  'kitchen:recall': 'recall',
  'kitchen:fire': 'fireOrder',
  'kitchen:deliver': 'deliverOrder',
  'food:cancel': 'cancelOrder',
  'menu:subscribe': 'followMenu',
  'menu:unsubscribe': 'followMenu',
} as const satisfies Record<ClientEventName, Exclude<keyof HubClient, 'call' | 'on'>>;

/** See `SOCKET_EVENT_METHODS`: the pushes. */
export const SERVER_PUSH_METHODS = {
  'actor:changed': 'subscribeActor',
  'feed:changed': 'subscribeFeed',
  'feed:resync': 'subscribeFeed',
  'dashboard:summary': 'onDashboardSummary',
  'floor:alert': 'on',
  'slot:availability': 'watchAvailability',
  'session:reconnect': 'onStatus',
  'session:ended': 'ended',
  'notification:alert': 'onAlert',
  'equipment:availability': 'watchEquipment',
  'occupancy:changed': 'watchOccupancy',
  'locker:unlock': 'onLockerUnlock',
  'menu:changed': 'followMenu',
  'menu:updated': 'followMenu',
} as const satisfies Record<ServerPushName, keyof HubClient>;

/** Alert ids remembered to show each alert once (alerts are at most once, but may come from two nodes). */
const SEEN_ALERTS = 1_000;

const silent: HubClientLog = { debug: () => {}, info: () => {}, warn: () => {} };

/** Ack callback as socket.io-client types it under `timeout()`: an error first, then the answer. */
type TimedAck = (error: Error | null, answer: unknown) => void;

/** `emit` with the event name and payload left loose, for the contract-typed `call`. */
interface LooseEmitter {
  emit(event: string, payload: unknown, ack: TimedAck): void;
}

/** Occupancy watch keys (`zone:<z>`, `slot:<id>`) back to an `occupancy:subscribe` payload. */
function occupancyScope(keys: readonly string[]): { zones?: string[]; slotIds?: string[] } {
  const zones = keys.filter((key) => key.startsWith('zone:')).map((key) => key.slice(5));
  const slotIds = keys.filter((key) => key.startsWith('slot:')).map((key) => key.slice(5));
  return { ...(zones.length > 0 ? { zones } : {}), ...(slotIds.length > 0 ? { slotIds } : {}) };
}

/** How one kind of level (availability, occupancy, equipment) is asked for and told apart. */
interface LevelKind<L, A> {
  ask(keys: string[]): Promise<HubResult<A>>;
  stop(keys: string[]): Promise<HubResult<unknown>>;
  readings(answer: A): L[];
  key(level: L): string;
}

/**
 * Watchers of one kind of level: the newest reading per key (by `at`) goes to every watcher of
 * that key; `askAgain` after a reconnect; a key nobody watches any more is unsubscribed.
 */
function levelWatches<L extends { at: number }, A>(kind: LevelKind<L, A>) {
  const watchers = new Set<{ keys: ReadonlySet<string>; onLevel: (level: L) => void }>();
  const newest = new Map<string, number>();
  function deliver(level: L): void {
    const key = kind.key(level);
    if ((newest.get(key) ?? -1) > level.at) return;
    newest.set(key, level.at);
    for (const watcher of watchers) if (watcher.keys.has(key)) watcher.onLevel(level);
  }
  function ask(keys: string[]): Promise<HubResult<A>> {
    return kind.ask(keys).then((answer) => {
      if (answer.ok) for (const level of kind.readings(answer.data)) deliver(level);
      return answer;
    });
  }
  return {
    deliver,
    askAgain(): void {
      const keys = new Set([...watchers].flatMap((w) => [...w.keys]));
      if (keys.size > 0) void ask([...keys]);
    },
    watch(keys: readonly string[], onLevel: (level: L) => void): LevelWatch<A> {
      const watcher = { keys: new Set(keys), onLevel };
      watchers.add(watcher);
      return {
        ready: ask([...keys]),
        unsubscribe() {
          if (!watchers.delete(watcher)) return;
          const still = new Set([...watchers].flatMap((w) => [...w.keys]));
          const gone = [...watcher.keys].filter((key) => !still.has(key));
          if (gone.length > 0) void kind.stop(gone);
        },
      };
    },
  };
}

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

  // The menu in revision order: a gap in the pushes asks for the whole menu again (menu-follow.ts).
  const menu = createMenuFollow(() => request<MenuView>(requestTimeoutMs, (socket, ms, ack) => socket.timeout(ms).emit('menu:subscribe', {}, ack)));

  /** Emits any contract event and waits for its ack (typed from the socket contract). */
  function send<E extends ClientEventName>(event: E, payload: EventInput<E>, timeoutMs = requestTimeoutMs): Promise<HubResult<EventAck<E>>> {
    return request<EventAck<E>>(timeoutMs, (socket, ms, ack) => (socket.timeout(ms) as unknown as LooseEmitter).emit(event, payload, ack));
  }

  // Pushes heard through `on`: one listener set per push name, fed from every socket.
  const pushListeners = new Map<string, Set<(payload: never) => void>>();
  function onPush(event: string, payload: unknown): void {
    const listeners = pushListeners.get(event);
    if (listeners) for (const listener of listeners) (listener as (payload: unknown) => void)(payload);
  }

  // Level watchers (places left in slots, people inside zones and slots, equipment counts): the
  // newest reading per key goes to every watcher of that key; asked again after every reconnect.
  const availability = levelWatches<SlotAvailability, { slots: SlotAvailability[] }>({
    ask: (keys) => send('availability:subscribe', { slotIds: keys }),
    stop: (keys) => send('availability:unsubscribe', { slotIds: keys }),
    readings: (answer) => answer.slots,
    key: (level) => level.slotId,
  });
  const occupancy = levelWatches<OccupancyLevel, { levels: OccupancyLevel[] }>({
    ask: (keys) => send('occupancy:subscribe', occupancyScope(keys)),
    stop: (keys) => send('occupancy:unsubscribe', occupancyScope(keys)),
    readings: (answer) => answer.levels,
    key: (level) => `${level.scope}:${level.id}`,
  });
  const equipment = levelWatches<EquipmentAvailability, { levels: EquipmentAvailability[] }>({
    ask: (keys) => send('equipment:subscribe', { typeIds: keys }),
    stop: (keys) => send('equipment:unsubscribe', { typeIds: keys }),
    readings: (answer) => answer.levels,
    key: (level) => level.typeId,
  });

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
        socket.on('slot:availability', (level) => availability.deliver(level));
        socket.on('occupancy:changed', (level) => occupancy.deliver(level));
        socket.on('equipment:availability', (level) => equipment.deliver(level));
        socket.on('dashboard:summary', onSummary);
        socket.on('menu:changed', (change) => menu.changed(change));
        socket.on('menu:updated', (update) => menu.updated(update));
        socket.onAny((event: string, payload: unknown) => onPush(event, payload));
        // Pushes between hub nodes may have been lost: ask again from every cursor held.
        socket.on('feed:resync', () => subscriptions.resubscribeAll('fanout interrupted'));
      },
      connected(_socket, again) {
        if (again) {
          subscriptions.resubscribeAll('reconnect');
          availability.askAgain();
          occupancy.askAgain();
          equipment.askAgain();
          // An 86 while disconnected was missed: the whole menu again.
          menu.reload();
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

  const api: HubClient = {
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
    watchAvailability: (slotIds, onLevel) => availability.watch(slotIds, onLevel),
    watchOccupancy: (scope, onLevel) => occupancy.watch([...(scope.zones ?? []).map((zone) => `zone:${zone}`), ...(scope.slotIds ?? []).map((slotId) => `slot:${slotId}`)], onLevel),
    watchEquipment: (typeIds, onLevel) => equipment.watch(typeIds, onLevel),
    call: (event, payload, requestOptions = {}) => send(event, payload, requestOptions.timeoutMs),
    onLockerUnlock(listener) {
      return api.on('locker:unlock', listener);
    },
    on(push, listener) {
      let listeners = pushListeners.get(push);
      if (!listeners) pushListeners.set(push, (listeners = new Set()));
      listeners.add(listener as (payload: never) => void);
      return () => void listeners.delete(listener as (payload: never) => void);
    },
    scan: (scan, requestOptions = {}) => send('gate:scan', scan, requestOptions.timeoutMs),
    offlineBundle: (requestOptions = {}) => send('gate:offline_bundle', {}, requestOptions.timeoutMs),
    syncOfflineScans: (scans, requestOptions = {}) => send('gate:sync', { scans }, requestOptions.timeoutMs),
    pickUpRental: (pickup, requestOptions = {}) => send('rental:pickup', pickup, requestOptions.timeoutMs),
    returnRental: (itemReturn, requestOptions = {}) => send('rental:return', itemReturn, requestOptions.timeoutMs),
    openLocker: (open, requestOptions = {}) => send('locker:open', open, requestOptions.timeoutMs),
    claimLocker: (claim, requestOptions = {}) => send('locker:claim', claim, requestOptions.timeoutMs),
    linkBand: (link, requestOptions = {}) => send('band:link', link, requestOptions.timeoutMs),
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
      return send('kitchen:bump', bumpRequest, requestOptions.timeoutMs);
    },
    recall(recallRequest, requestOptions = {}) {
      return send('kitchen:recall', recallRequest, requestOptions.timeoutMs);
    },
    fireOrder(orderId, requestOptions = {}) {
      return send('kitchen:fire', { orderId }, requestOptions.timeoutMs);
    },
    deliverOrder(orderId, requestOptions = {}) {
      return send('kitchen:deliver', { orderId }, requestOptions.timeoutMs);
    },
    cancelOrder(orderId, reason, requestOptions = {}) {
      return send('food:cancel', reason === undefined ? { orderId } : { orderId, reason }, requestOptions.timeoutMs);
    },
    followMenu(onMenu, onChange) {
      const watcher = { onMenu, onChange };
      const ready = menu.add(watcher);
      return {
        ready,
        unsubscribe() {
          if (menu.remove(watcher)) void send('menu:unsubscribe', {});
        },
      };
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
  return api;
}
