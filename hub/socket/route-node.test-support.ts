/**
 * A socket.io node serving only some routes, for route tests: the real handshake (tokens signed with
 * the data directory's key ring, revocations from the store) and the real inbound pipeline; every
 * other event answers `route.not_found`. Real socket.io-client sockets connect to it.
 */
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { CLIENT_EVENTS } from '../../machines/contract/wire.js';
import type { ClientEventName, ClientToServerEvents, PersonRole, ServerToClientEvents } from '../../machines/contract/wire.js';
import { refuse } from '../../machines/errors.js';
import { silentLogger } from '../../workers/logger.js';
import type { ActorStore } from '../../workers/store/actor-store.js';
import { createHandshake } from '../auth/handshake.js';
import { loadOrCreateKeyRing } from '../auth/keys.js';
import { createTokenService } from '../auth/tokens.js';
import type { DeviceKind, DeviceScope, TokenService } from '../auth/tokens.js';
import { listenHub } from '../listen.js';
import type { ListeningHub } from '../listen.js';
import { createHubMetrics } from '../metrics.js';
import { createAuditTrail } from '../policy/audit-trail.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { attachInbound } from './inbound.js';
import type { Route, RouteTable } from './inbound.js';
import { createInflightTracker } from './inflight.js';

export type RouteClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RouteNode {
  readonly listening: ListeningHub;
  readonly tokens: TokenService;
  /** Connects with a token; resolves on `connect`, rejects with the `connect_error`. */
  open(token: string): Promise<RouteClient>;
  device(deviceId: string, deviceKind: DeviceKind, scope?: DeviceScope): Promise<RouteClient>;
  /** A person `<role>-1` of that role. */
  person(role: PersonRole): Promise<RouteClient>;
  /** Closes the clients and the node (not the store). */
  close(): Promise<void>;
}

const notHere: Route = () => Promise.resolve(refuse('route.not_found', 'not served by this test node'));

/** Starts a node on port 0 serving `routes(trail)`. */
export async function startRouteNode(options: {
  dataDir: string;
  store: Pick<ActorStore, 'audit' | 'revocations'>;
  routes: (trail: AuditTrail) => Partial<RouteTable>;
  maxEventBytes?: number;
}): Promise<RouteNode> {
  const tokens = createTokenService({ keyRing: await loadOrCreateKeyRing({ dataDir: options.dataDir }), issuer: 'venue-hub', accessTtlSeconds: 900 });
  const trail = createAuditTrail({ audit: options.store.audit, clock: Date.now, log: silentLogger });
  const others = Object.fromEntries(Object.keys(CLIENT_EVENTS).map((name) => [name, notHere])) as Record<ClientEventName, Route>;
  const routes: RouteTable = { ...others, ...options.routes(trail) };
  const listening = await listenHub({ engine: 'ws', host: '127.0.0.1', port: 0, io: {}, http: () => Promise.resolve({ status: 404, headers: {}, body: '' }) });
  const limits = { maxEventBytes: options.maxEventBytes ?? 4_096, ratePerSecond: 500, burst: 1_000 };
  const metrics = createHubMetrics();
  const inflight = createInflightTracker();
  listening.io.use(createHandshake({ tokens, revocations: options.store.revocations, log: silentLogger }));
  listening.io.on('connection', (socket) => attachInbound(socket, { routes, limits, metrics, inflight, isDraining: () => false, clock: Date.now, log: silentLogger }));

  const clients: RouteClient[] = [];
  async function open(token: string): Promise<RouteClient> {
    const socket: RouteClient = connect(`http://127.0.0.1:${listening.port}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }
  return {
    listening,
    tokens,
    open,
    device: async (deviceId, deviceKind, scope = {}) => open((await tokens.issueDeviceToken({ deviceId, deviceKind, scope })).token),
    person: async (role) => open((await tokens.issueAccessToken({ sub: `${role}-1`, role })).token),
    async close() {
      for (const socket of clients) socket.close();
      await listening.close();
    },
  };
}
