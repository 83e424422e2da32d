/**
 * A real hub for tests: a SQLite store in a temp directory, the actor runtime, the accounts and
 * catalog services on the same file (a tiny test venue, codes captured), a key ring and token
 * service, and the hub listening on port 0; real socket.io-client sockets connect to it.
 * Nothing of ours is mocked; helpers wait on events and acks, never on fixed sleeps.
 */
import type { HoldLimits } from '../workers/bookings/booking-service.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../machines/contract/wire.js';
import type { AccountLimits } from '../workers/accounts/otp-challenges.js';
import { silentLogger } from '../workers/logger.js';
import type { TicketInput } from '../machines/ticket.schemas.js';
import type { FloorAlert } from '../machines/contract/floor-alert.js';
import { bookingsRuntime } from '../workers/bookings/bookings.module.js';
import { equipmentRuntime } from '../workers/equipment/equipment.module.js';
import { gatesRuntime } from '../workers/gates/gates.module.js';
import { wire } from '../workers/modules/runtime-module.js';
import type { Runtime } from '../workers/runtime.js';
import { visitsRuntime } from '../workers/visits/visits.module.js';
import { VENUE_MODULES } from './modules/index.js';
import type { VenueModule } from './modules/venue-module.js';
import { nativeUwsAvailable } from './engine.js';
import { startRuntime } from '../workers/runtime.js';
import type { ActorStore } from '../workers/store/actor-store.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import { openSqliteReadModels } from '../workers/projections/sqlite-read-models.js';
import { createTicketTokens } from '../workers/tickets/ticket-token.js';
import type { TicketTokens } from '../workers/tickets/ticket-token.js';
import { createSqliteAgendaBackend } from '../workers/timers/sqlite-job-repository.js';
import type { WristbandService } from '../workers/wristbands/wristband-service.js';
import { loadOrCreateKeyRing } from './auth/keys.js';
import type { KeyRing } from './auth/keys.js';
import { createTokenService } from './auth/tokens.js';
import type { DeviceKind, DeviceScope, PersonRole, TokenService } from './auth/tokens.js';
import type { ApiRoute } from './api/api-router.js';
import { createApiRouter } from './api/api-router.js';
import { createHubServer } from './server.js';
import type { HubServer, HubServerConfig, HubServerDeps } from './server.js';
import { endSessions } from './socket/end-sessions.js';
import { openTestServices, TEST_SLOT, TEST_TICKETS } from './test-services.test-support.js';
import type { TestServices } from './test-services.test-support.js';

/**
 * The socket engines this runtime can test: both where the native uWebSockets.js binary loads
 * (Node 20), only ws elsewhere (Node 22+, where the hub itself defaults to ws), said out loud.
 */
export const SOCKET_ENGINES: readonly ('uws' | 'ws')[] = nativeUwsAvailable() ? ['uws', 'ws'] : ['ws'];
if (SOCKET_ENGINES.length === 1) process.stderr.write(`SKIPPED: uWS engine cases: no native uWebSockets.js binary for Node ${process.versions.node}; testing the ws engine only\n`);

export { TEST_ACTIVITY, TEST_DATE, TEST_SLOT, TEST_TICKETS } from './test-services.test-support.js';

/** A client socket speaking the contract. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** A client socket that may send anything (fuzzing). */
export type RawSocket = Socket;

/** Defaults for tests: generous limits unless a test narrows them. */
export const TEST_CONFIG: HubServerConfig = {
  SOCKET_ENGINE: SOCKET_ENGINES[0] ?? 'ws',
  HOST: '127.0.0.1',
  PORT: 0,
  ALLOWED_ORIGINS: [],
  MAX_MESSAGE_BYTES: 16_384,
  MAX_EVENT_BYTES: 4_096,
  RATE_LIMIT_PER_SECOND: 500,
  RATE_LIMIT_BURST: 1_000,
  DRAIN_BATCH_SIZE: 500,
  DRAIN_TIMEOUT_MS: 10_000,
};

/** One running hub with its runtime and credentials. */
export interface TestHub {
  readonly hub: HubServer;
  readonly runtime: Runtime;
  /** The actor store the runtime was started on: tests set up and assert on it directly (the runtime hands it to nobody). */
  readonly store: ActorStore;
  readonly tokens: TokenService;
  readonly keyRing: KeyRing;
  /** Signs and verifies ticket QR payloads with the node's ticket key ring (the hub verifies scans with it). */
  readonly ticketTokens: TicketTokens;
  /** Links and resolves wristbands on the hub's runtime (the hub resolves band scans with it). */
  readonly wristbands: WristbandService;
  readonly url: string;
  readonly dir: string;
  /** Accounts (codes captured in `services.sent`) and the test catalog. */
  readonly services: TestServices;
  /** An access token for `userId`, creating a verified active account with that role first. */
  person(userId: string, role: PersonRole): Promise<string>;
  device(deviceId: string, deviceKind: DeviceKind, scope?: DeviceScope): Promise<string>;
  /** Connects and resolves on `connect`; rejects with the `connect_error`. */
  connect(token: string | undefined, options?: Partial<ManagerOptions & SocketOptions>): Promise<ClientSocket>;
  connectRaw(token: string | undefined, options?: Partial<ManagerOptions & SocketOptions>): Promise<RawSocket>;
  /** Drains the hub (if not yet), stops the runtime, removes the directory. */
  stop(): Promise<void>;
}

/** What application routes of a test hub are built from. */
export interface TestHubApiDeps {
  services: TestServices;
  runtime: Runtime;
  tokens: TokenService;
  /** Ends the open sockets of `user:<id>` / `device:<id>` (bound to the hub once it runs). */
  endSessions: (subject: string) => void;
}

/** Options for a test hub. */
export interface TestHubOptions {
  config?: Partial<HubServerConfig>;
  deps?: Partial<Pick<HubServerDeps, 'clock' | 'staticDir' | 'flood' | 'adapter' | 'fanout' | 'app' | 'adminUi' | 'trustedProxies'>>;
  /** Application routes built from the hub's own services (served before `deps.app`). */
  api?: (deps: TestHubApiDeps) => readonly ApiRoute[];
  /** Share a data directory (two nodes on one store). */
  dir?: string;
  /** Test slot id (`test-pool-yyyy-mm-dd-hhmm`) → capacity; default TEST_SLOT with 1 000 places. */
  slots?: Record<string, number>;
  accountLimits?: Partial<AccountLimits>;
  /** Venue floor settings: the visits module's check-out grace, the equipment module's rental length, and who else hears staff alerts. */
  floor?: { checkoutGraceMs?: number; rentalMs?: number; alert?: (alert: FloorAlert) => void };
  /** Unpaid places one visitor may hold (HOLD_MAX_*), as `npm start` sets them; none by default. */
  holdLimits?: HoldLimits;
  /** The modules the runtime runs and the hub routes; default the venue's own (VENUE_MODULES). */
  modules?: readonly VenueModule[];
}

/** Starts a hub on port 0. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vh-hub-'));
  const file = join(dir, 'venue-hub.db');
  // The gates verify scans with the node's ticket key ring (no offline bundles here).
  const ticketTokens = createTicketTokens({ keys: await loadOrCreateKeyRing({ dataDir: dir, purpose: 'ticket' }), issuer: 'venue-hub' });
  const modules = options.modules ?? VENUE_MODULES;
  const floor = options.floor ?? {};
  const store = openSqliteActorStore({ file });
  const runtime = await startRuntime({
    store,
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timerPollMs: 200,
    readSide: { readModels: openSqliteReadModels({ file }), timeZone: 'Asia/Riyadh', pollMs: 100 },
    modules,
    // Each module's wiring, for those the hub runs.
    wiring: [
      wire(bookingsRuntime, { timings: { holdMs: 600_000, reviewMs: 600_000, paymentMs: 600_000 }, ...(options.holdLimits === undefined ? {} : { holdLimits: options.holdLimits }) }),
      wire(gatesRuntime, { tickets: ticketTokens }),
      ...(floor.checkoutGraceMs === undefined ? [] : [wire(visitsRuntime, { checkoutGraceMs: floor.checkoutGraceMs })]),
      ...(floor.rentalMs === undefined ? [] : [wire(equipmentRuntime, { rentalMs: floor.rentalMs })]),
    ].filter((wiring) => modules.some((m) => m.name === wiring.module)),
    ...(floor.alert === undefined ? {} : { onAlert: floor.alert }),
  });
  const services = await openTestServices({
    file,
    actors: store,
    slots: options.slots ?? { [TEST_SLOT]: 1_000 },
    ...(options.accountLimits === undefined ? {} : { accountLimits: options.accountLimits }),
  });
  const keyRing = await loadOrCreateKeyRing({ dataDir: dir });
  const tokens = createTokenService({ keyRing, issuer: 'venue-hub', accessTtlSeconds: 900 });
  const wristbands = runtime.wristbands;
  // Routes are built before the server exists; they end sessions through it once it runs.
  const bound: { hub?: HubServer } = {};
  const endSessionsOnHub = (subject: string) => {
    if (bound.hub) endSessions(bound.hub.io, subject, bound.hub.metrics);
  };
  const api = options.api?.({ services, runtime, tokens, endSessions: endSessionsOnHub });
  const app = api === undefined ? options.deps?.app : chain(createApiRouter(api, { log: silentLogger }), options.deps?.app);
  const hub = await createHubServer({
    config: { ...TEST_CONFIG, ...options.config },
    runtime,
    accounts: services.accounts,
    catalog: services.catalog,
    tokens,
    keys: keyRing,
    ticketTokens,
    log: silentLogger,
    modules,
    ...options.deps,
    ...(app === undefined ? {} : { app }),
  });
  bound.hub = hub;
  const url = `http://127.0.0.1:${hub.port}`;
  const open = (token: string | undefined, extra: Partial<ManagerOptions & SocketOptions> = {}): Promise<RawSocket> => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token === undefined ? {} : { auth: { token } }), ...extra });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  };
  return {
    hub,
    runtime,
    store,
    tokens,
    keyRing,
    ticketTokens,
    wristbands,
    url,
    dir,
    services,
    async person(userId, role) {
      await services.ensurePerson(userId, role);
      return (await tokens.issueAccessToken({ sub: userId, role })).token;
    },
    device: async (deviceId, deviceKind, scope = {}) => (await tokens.issueDeviceToken({ deviceId, deviceKind, scope })).token,
    connect: (token, extra) => open(token, extra),
    connectRaw: open,
    async stop() {
      await hub.drain();
      await runtime.stop();
      await services.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The payload of a server → client event. */
export type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Resolves with the next `event` on `socket` whose payload matches; rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (name: string, payload: Payload<E>) => {
      if (name !== event || !match(payload)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.onAny(listener);
  });
}

/** Anything that reports its disconnection. */
interface Disconnectable {
  readonly disconnected: boolean;
  once(event: 'disconnect', listener: (reason: string) => void): unknown;
}

/** Resolves with the disconnect reason. */
export function disconnected(socket: Disconnectable, timeoutMs = 5_000): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A hold of one ticket in the default test slot; `requiresApproval` picks the ticket type that needs it. */
export function holdOf(bookingId: string, requiresApproval = false) {
  return { bookingId, slotId: TEST_SLOT, items: [{ ticketTypeId: requiresApproval ? TEST_TICKETS.vip.ticketTypeId : TEST_TICKETS.adult.ticketTypeId, qty: 1 }] };
}

type AppHandler = NonNullable<HubServerDeps['app']>;

/** Serves with `first`, falling back to `second` for paths `first` does not own. */
function chain(first: AppHandler, second: AppHandler | undefined): AppHandler {
  return async (req) => (await first(req)) ?? (second === undefined ? null : second(req));
}

/**
 * A booking held by `visitor` over its socket, submitted and paid through the host, with its first
 * ticket (valid from a minute ago for an hour) created; answers the ticket's signed QR payload.
 */
export async function confirmedTicket(
  t: Pick<TestHub, 'runtime' | 'ticketTokens'>,
  visitor: ClientSocket,
  visitorId: string,
  bookingId: string,
): Promise<{ token: string; ticketId: string; input: TicketInput }> {
  const held = await visitor.emitWithAck('booking:hold', holdOf(bookingId));
  if (!held.ok) throw new Error(held.message);
  const meta = { who: 'test', eventId: null };
  const submitted = await t.runtime.host.send('booking', bookingId, { type: 'booking.submit' }, meta);
  if (!submitted.ok) throw new Error(submitted.message);
  const total = (submitted.data.context as { total: number }).total;
  const confirmed = await t.runtime.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay-${bookingId}`, amount: total }, meta);
  if (!confirmed.ok || confirmed.data.state !== 'confirmed') throw new Error(confirmed.ok ? `booking ${bookingId} is ${confirmed.data.state}` : confirmed.message);
  const now = Date.now();
  const input: TicketInput = {
    ticketId: `${bookingId}-t1`,
    bookingId,
    visitorId,
    ticketTypeId: 'adult',
    slotId: 'slot_1',
    seq: 1,
    validFrom: now - 60_000,
    validUntil: now + 3_600_000,
    issuedAt: now,
  };
  const created = await t.runtime.host.create('ticket', input.ticketId, input, meta);
  if (!created.ok) throw new Error(created.message);
  return { token: await t.ticketTokens.sign(input), ticketId: input.ticketId, input };
}
