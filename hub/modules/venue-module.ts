/**
 * One venue module: a capability (bookings, payments, gates, lockers, …) as one value. Its runtime
 * part (machines, effect handlers with their payload schemas, read models and feeds, its service,
 * what it publishes; `workers/modules/runtime-module.ts`), its node part (its settings, what a node
 * opens for it and wires it with; `node-part.ts`), and what the network edge adds: policy rows,
 * socket routes and HTTP routes. Both `main`s and the hub iterate one list of these
 * (`hub/modules/index.ts`); adding a module is its folder and one line in that list.
 *
 *   VENUE_MODULES ─▶ loadConfig         ─▶ each node part's settings, with the core's
 *                 ─▶ startNodeServices ─▶ each node part's open ─▶ startRuntime (runtime parts and their wiring, in order)
 *                 ─▶ createHubServer   ─▶ createPolicy(policy rows of all)
 *                                      ─▶ socket(ctx) of each ─▶ one route table (every client event, once)
 *                                      ─▶ http(ctx) of each  ─▶ one API router
 */
import type { Result } from '../../machines/errors.js';
import type { AccountService } from '../../workers/accounts/account-service.js';
import type { CatalogService } from '../../workers/catalog/catalog-service.js';
import type { Logger } from '../../workers/logger.js';
import type { RuntimeModule } from '../../workers/modules/runtime-module.js';
import type { Runtime } from '../../workers/runtime.js';
import type { TicketTokens } from '../../workers/tickets/ticket-token.js';
import type { Redis } from 'ioredis';
import type { ApiRoute } from '../api/api-router.js';
import type { PersonPrincipal, Principal, TokenService } from '../auth/tokens.js';
import type { HttpRequestInfo } from '../http/routes.js';
import type { HubMetrics } from '../metrics.js';
import type { NodeServices } from '../node-services.js';
import type { NodePart } from './node-part.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import type { Policy, PolicyRow } from '../policy/policy-table.js';
import type { Route } from '../socket/inbound.js';
import type { HubIo } from '../socket/types.js';

/** What a full node adds for the HTTP routes of the venue's modules (absent in hubs tests build). */
export interface NodeEdge {
  services: NodeServices;
  tokens: Pick<TokenService, 'issueAccessToken' | 'issueDeviceToken' | 'verify'>;
  /** The local mailbox page is served to direct loopback requests (DEV_MAILBOX, development only). */
  mailboxPage: boolean;
  /** Push service hosts accepted besides the browsers' own (PUSH_SERVICE_HOSTS). */
  pushHosts?: readonly string[];
  /** The built web pages (clients/web/dist), when present: visitor paths and message links open the app. */
  webDir?: string;
  /** The node's Redis when it is scaled out: per-address budgets are shared through it. */
  redis?: Redis;
}

/** What a module's routes are built from: the running node, the hub, and the policy of all modules. */
export interface EdgeContext {
  readonly runtime: Runtime;
  /** Who may book (`booking:hold` refuses unverified and suspended accounts). */
  readonly accounts: Pick<AccountService, 'assertCanBook'>;
  /** Prices `booking:hold` from the catalog. */
  readonly catalog: Pick<CatalogService, 'priceHold'>;
  readonly tokens: Pick<TokenService, 'verify'>;
  /** Verifies ticket QR payloads for `band:link`; without it every link is refused. */
  readonly ticketTokens?: Pick<TicketTokens, 'verify'>;
  /** The table and every module's rows. */
  readonly policy: Policy;
  readonly trail: AuditTrail;
  readonly io: HubIo;
  readonly metrics: HubMetrics;
  readonly clock: () => number;
  readonly log: Logger;
  /** The person a request's bearer token names, or a coded refusal. */
  authenticate(req: Pick<HttpRequestInfo, 'headers'>): Promise<Result<PersonPrincipal>>;
  /** Ends every open socket of `user:<id>` / `device:<id>`. */
  endSessions(subject: string): void;
  /** A full node's services (hub/main.ts); the venue's HTTP routes need them. */
  readonly node?: NodeEdge;
}

/** A venue module: `S` its service, `W` its runtime part's wiring, `L` what its node part lends. */
export interface VenueModule<S = unknown, W = unknown, L = unknown> extends RuntimeModule<S, W> {
  /** What a node opens for it before its runtime starts (its settings, stores, keys) and runs after (`node-part.ts`). */
  readonly node?: NodePart<W, L>;
  /** The policy rows of the actions its routes decide. */
  readonly policy?: Readonly<Record<string, PolicyRow>>;
  /** Its socket events, by name (each parsed by its zod schema in `route()`). */
  socket?(ctx: EdgeContext): Readonly<Record<string, Route>>;
  /** Its HTTP routes. */
  http?(ctx: EdgeContext): readonly ApiRoute[];
  /** Told of every socket the node accepts (after the handshake), e.g. to record that a device was seen. */
  connected?(ctx: EdgeContext): (principal: Principal) => void;
}

/** The service of a module when it is in the runtime's list (a hub may run without it). */
export function serviceOf<S>(runtime: Pick<Runtime, 'modules' | 'service'>, module: RuntimeModule<S>): S | undefined {
  return runtime.modules.some((m) => m.name === module.name) ? runtime.service(module) : undefined;
}

/** A module that only adds routes and policy rows (no actors, no service). */
export function edgeModule(module: Omit<VenueModule<undefined>, 'start'>): VenueModule<undefined> {
  return { ...module, start: () => ({ service: undefined }) };
}
