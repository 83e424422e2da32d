/**
 * One hub node: socket.io on the configured engine with authenticated handshakes, the inbound
 * pipeline, state-based subscriptions, commands, fan-out of committed changes, HTTP routes on the
 * same port, and an ordered drain.
 *
 *   client ──handshake──▶ origin check (allowRequest) ──▶ token + revocation (io.use) ──▶ joins user:/device: room
 *          ──event──────▶ inbound pipeline (rate, size, catalog, zod) ──▶ subscriptions / commands ──▶ ack
 *   runtime (changes, places, occupancy, equipment) ──▶ socket publisher ──one room per emit──▶ subscribers on every node (Redis adapter)
 */
import type { ServerOptions } from 'socket.io';
import type { RedisAdapterHandle } from './redis.js';
import { refuse } from '../machines/errors.js';
import type { Result } from '../machines/errors.js';
import type { AccountService } from '../workers/accounts/account-service.js';
import type { CatalogService } from '../workers/catalog/catalog-service.js';
import type { Logger } from '../workers/logger.js';
import type { Runtime } from '../workers/runtime.js';
import type { TicketTokens } from '../workers/tickets/ticket-token.js';
import { adminUiRoute, attachAdminUi } from './admin-ui.js';
import { createHandshake } from './auth/handshake.js';
import type { KeyRing } from './auth/keys.js';
import { createOriginCheck } from './auth/origin.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import { drainHub } from './drain.js';
import type { DrainReport } from './drain.js';
import type { TrustedProxies } from './http/client-address.js';
import { createHttpRoutes } from './http/routes.js';
import type { HttpAnswer, HttpRequestInfo } from './http/routes.js';
import { listenHub } from './listen.js';
import { createHubMetrics } from './metrics.js';
import type { HubMetrics, RuntimeMetrics } from './metrics.js';
import { createAuditTrail } from './policy/audit-trail.js';
import { createSessionWatch } from './session.js';
import { createSocketPublisher } from './socket/socket-publisher.js';
import type { SocketPublisher } from './socket/socket-publisher.js';
import { createInbound } from './socket/inbound.js';
import type { Route } from './socket/inbound.js';
import { lockerZoneRoom } from './socket/floor-routes.js';
import { CLIENT_EVENTS } from '../machines/contract/wire.js';
import { createApiRouter } from './api/api-router.js';
import { personFrom } from './api/http-auth.js';
import { endSessions } from './socket/end-sessions.js';
import { createPolicy } from './policy/policy-table.js';
import { VENUE_MODULES } from './modules/index.js';
import type { EdgeContext, NodeEdge, VenueModule } from './modules/venue-module.js';
import { createInflightTracker } from './socket/inflight.js';
import type { HubIo } from './socket/types.js';

/** The configuration a hub node reads. */
export type HubServerConfig = Pick<
  Config,
  | 'SOCKET_ENGINE'
  | 'HOST'
  | 'PORT'
  | 'ALLOWED_ORIGINS'
  | 'MAX_MESSAGE_BYTES'
  | 'MAX_EVENT_BYTES'
  | 'RATE_LIMIT_PER_SECOND'
  | 'RATE_LIMIT_BURST'
  | 'DRAIN_BATCH_SIZE'
  | 'DRAIN_TIMEOUT_MS'
>;

/** What a hub node is made of; wiring happens in `main` (and in tests). */
export interface HubServerDeps {
  config: HubServerConfig;
  runtime: Runtime;
  /** The modules whose routes and policy rows this hub serves (the runtime runs the same list); default VENUE_MODULES. */
  modules?: readonly VenueModule[];
  /** A full node's services: the venue modules' HTTP routes are served only with them. */
  node?: NodeEdge;
  /** Who may book (`booking:hold` refuses unverified and suspended accounts). */
  accounts: Pick<AccountService, 'assertCanBook'>;
  /** Prices `booking:hold` from the catalog. */
  catalog: Pick<CatalogService, 'priceHold'>;
  tokens: Pick<TokenService, 'verify'>;
  keys: Pick<KeyRing, 'publicJwks'>;
  /** Verifies the ticket QR payloads of `band:link` (gate scans verify through the gates module's wiring); without it every link is refused. */
  ticketTokens?: Pick<TicketTokens, 'verify'>;
  log: Logger;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
  /** socket.io adapter (the Redis adapter when scaled out); default in-memory. */
  adapter?: ServerOptions['adapter'];
  /** Tells when cross-node fan-out was interrupted and is back (the Redis adapter's handle). */
  fanout?: Pick<RedisAdapterHandle, 'onRecovered'>;
  /** Absolute path of the web clients to serve, when present. */
  staticDir?: string;
  /** More HTTP routes served on the same port, before the modules'. */
  app?: (req: HttpRequestInfo) => Promise<HttpAnswer | null>;
  /** Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); default nobody. */
  trustedProxies?: TrustedProxies;
  /** The socket.io Admin UI for super admins (/admin-ui/, namespace /admin); off when absent. */
  adminUi?: { serverId: string };
  /** The runtime metrics of this process, served beside the hub's at /metrics. */
  runtimeMetrics?: Pick<RuntimeMetrics, 'registry'>;
  /** Flood detection (default: 5× the rate for 2 s). */
  flood?: { factor: number; windowMs: number };
}

/** A running hub node. */
export interface HubServer {
  readonly port: number;
  readonly io: HubIo;
  readonly metrics: HubMetrics;
  /** Pushes outbound messages to this node's sockets (and every node's, with the Redis adapter). */
  readonly publisher: SocketPublisher;
  /** Stops accepting, tells clients to reconnect, waits for in-flight events, closes. Idempotent. */
  drain(): Promise<DrainReport>;
}

const READINESS_TIMEOUT_MS = 2_000;

/** Starts a hub node listening on `config.PORT` (0 picks a free port). */
export async function createHubServer(deps: HubServerDeps): Promise<HubServer> {
  const { config, runtime, log } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = createHubMetrics(deps.runtimeMetrics);
  const inflight = createInflightTracker();
  let draining = false;

  const ready = async (): Promise<Result<true>> => {
    if (draining) return refuse('hub.draining', 'this node is draining');
    const probe = runtime.access.probe().then(() => ({ ok: true as const, data: true as const }));
    const timeout = new Promise<Result<true>>((resolve) => setTimeout(() => resolve(refuse('store.unavailable', 'the store did not answer in time')), READINESS_TIMEOUT_MS).unref());
    return Promise.race([probe, timeout]).catch((error: unknown) => refuse('store.unavailable', `the store is unreachable: ${String(error)}`));
  };

  const adminPage = deps.adminUi === undefined ? undefined : adminUiRoute();
  // The modules' routes need the socket server (ending sessions): bound once it exists.
  const late: { moduleApp?: (req: HttpRequestInfo) => Promise<HttpAnswer | null> } = {};
  const app = async (req: HttpRequestInfo): Promise<HttpAnswer | null> =>
    (adminPage === undefined ? null : await adminPage(req)) ?? (deps.app === undefined ? null : await deps.app(req)) ?? (late.moduleApp === undefined ? null : late.moduleApp(req));
  const listening = await listenHub({
    engine: config.SOCKET_ENGINE,
    host: config.HOST,
    port: config.PORT,
    http: createHttpRoutes({
      ready,
      metricsText: () => metrics.render(),
      jwks: () => deps.keys.publicJwks(),
      staticDir: deps.staticDir,
      app,
      ...(deps.trustedProxies === undefined ? {} : { trustedProxies: deps.trustedProxies }),
      log,
    }),
    io: {
      maxHttpBufferSize: config.MAX_MESSAGE_BYTES,
      allowRequest: createOriginCheck(config.ALLOWED_ORIGINS, (origin) => {
        metrics.refused('auth.origin');
        log.warn('socket refused: foreign origin', { origin });
      }),
      ...(deps.adapter === undefined ? {} : { adapter: deps.adapter }),
    },
  });
  const { io } = listening;

  const trail = createAuditTrail({ audit: runtime.access.audit, clock, log });
  const modules = deps.modules ?? VENUE_MODULES;
  const edge: EdgeContext = {
    runtime,
    accounts: deps.accounts,
    catalog: deps.catalog,
    tokens: deps.tokens,
    ...(deps.ticketTokens === undefined ? {} : { ticketTokens: deps.ticketTokens }),
    policy: createPolicy(modules.flatMap((m) => (m.policy === undefined ? [] : [m.policy]))),
    trail,
    io,
    metrics,
    clock,
    log,
    authenticate: (req) => personFrom(req, { tokens: deps.tokens, revocations: runtime.access.revocations }),
    endSessions: (subject) => endSessions(io, subject, metrics),
    ...(deps.node === undefined ? {} : { node: deps.node }),
  };
  const routes = moduleRoutes(modules, edge);
  late.moduleApp = createApiRouter(modules.flatMap((m) => m.http?.(edge) ?? []), { log });
  const limits = {
    maxEventBytes: config.MAX_EVENT_BYTES,
    ratePerSecond: config.RATE_LIMIT_PER_SECOND,
    burst: config.RATE_LIMIT_BURST,
    ...(deps.flood === undefined ? {} : { floodFactor: deps.flood.factor, floodWindowMs: deps.flood.windowMs }),
  };

  if (deps.adminUi !== undefined) {
    attachAdminUi(io, { tokens: deps.tokens, revocations: runtime.access.revocations, serverId: deps.adminUi.serverId, log, onRefused: (code) => metrics.refused(code) });
  }
  io.use(createHandshake({ tokens: deps.tokens, revocations: runtime.access.revocations, log, onRefused: (code) => metrics.refused(code) }));
  const connected = modules.flatMap((m) => (m.connected === undefined ? [] : [m.connected(edge)]));
  // Built once for every socket: what a socket adds is its own state, not copies of these.
  const sessions = createSessionWatch({ revocations: runtime.access.revocations, clock, metrics, log });
  const attachInbound = createInbound({ routes, limits, metrics, inflight, isDraining: () => draining, clock, log });
  io.on('connection', (socket) => {
    const principal = socket.data.principal;
    for (const tell of connected) tell(principal);
    const role = principal.kind === 'person' ? principal.role : `device:${principal.deviceKind}`;
    metrics.socketOpened(role);
    socket.on('disconnect', () => {
      metrics.socketClosed(role);
      sessions.forget(socket);
    });
    sessions.watch(socket);
    // A locker bank hears the unlocks of its zone.
    if (principal.kind === 'device' && principal.deviceKind === 'locker' && principal.scope.zone !== undefined) void socket.join(lockerZoneRoom(principal.scope.zone));
    attachInbound(socket);
  });
  const publisher = createSocketPublisher({ io, metrics });
  const stopPublishing = runtime.publishTo(publisher);
  // Pushes between nodes may have been lost: every socket, on every node, asks again from its cursors.
  const stopResync = deps.fanout?.onRecovered(() => {
    io.emit('feed:resync', { reason: 'fanout_interrupted', at: clock() });
    metrics.messageOut('feed:resync');
  });

  let drained: Promise<DrainReport> | undefined;
  return {
    port: listening.port,
    io,
    metrics,
    publisher,
    drain() {
      drained ??= drainHub({
        listening,
        inflight,
        metrics,
        log,
        batchSize: config.DRAIN_BATCH_SIZE,
        timeoutMs: config.DRAIN_TIMEOUT_MS,
        markDraining: () => void (draining = true),
        stopFanout: () => {
          stopResync?.();
          stopPublishing();
          publisher.stop();
        },
      }).finally(() => {
        sessions.stop();
        metrics.stop();
      });
      return drained;
    },
  };
}

/** One route per socket event from the modules: every client event of the contract, none twice. */
function moduleRoutes(modules: readonly VenueModule[], edge: EdgeContext): Record<string, Route> {
  const routes: Record<string, Route> = {};
  const owner: Record<string, string> = {};
  for (const module of modules) {
    for (const [event, handle] of Object.entries(module.socket?.(edge) ?? {})) {
      if (owner[event] !== undefined) throw new Error(`socket event ${event} is routed by both the ${owner[event]} and the ${module.name} module`);
      owner[event] = module.name;
      routes[event] = handle;
    }
  }
  const missing = Object.keys(CLIENT_EVENTS).filter((event) => routes[event] === undefined);
  if (missing.length > 0) throw new Error(`no module routes ${missing.join(', ')}: is a module missing from the list?`);
  return routes;
}
