/**
 * The one inbound pipeline every socket event goes through, in this order:
 *
 *   packet ─▶ count ─▶ rate bucket ──limited──▶ rate.limited   (flood: session:ended + disconnect)
 *                        └▶ draining? ─────────▶ hub.draining
 *                           └▶ routed (the contract's events and those modules add)? ─no─▶ event.unknown
 *                              └▶ ≤ MAX_EVENT_BYTES (all frames)? ─no─▶ message.too_large
 *                                 └▶ zod parse ─fail─▶ event.invalid
 *                                    └▶ handler (tracked as in flight) ─▶ {ok:true,data} | {ok:false,code,message}
 *
 * It is a socket.io packet middleware (`socket.use`) that consumes the packet instead of passing it
 * on: `onAny` listeners run before middlewares, so only a middleware can gate everything, and events
 * without a handler are answered here instead of being dropped silently. Nothing here throws into
 * socket.io; a failing handler answers `internal`.
 *
 * Priority for gates: each event costs a few comparisons before its handler starts, acks are sent
 * the moment a handler settles, and handlers for different actors run concurrently (the host
 * serialises per actor only). Fan-out is a synchronous emit per room: on uWebSockets.js one native
 * publish with no per-socket JavaScript (socket/uws-publish.ts), on `ws` a write per socket; large
 * audiences (occupancy) are split into shards emitted in successive turns, so a gate's scan waits
 * behind one shard at most, never behind the whole broadcast.
 */
import { randomUUID } from 'node:crypto';
import type { Packet } from 'engine.io-parser';
import type { z } from 'zod';
import { isServerFault } from '../../machines/contract/error-status.js';
import { SOCKET_EVENTS } from '../../machines/contract/socket-api.js';
import type { ClientEventName, EventAck, EventPayload } from '../../machines/contract/socket-api.js';
import { accept, refuse } from '../../machines/errors.js';
import type { ErrorCode, Result } from '../../machines/errors.js';
import type { Logger } from '../../workers/logger.js';
import type { Principal } from '../auth/tokens.js';
import type { HubMetrics } from '../metrics.js';
import { roleOf } from '../policy/role-policy.js';
import { endSession } from '../session.js';
import type { InflightTracker } from './inflight.js';
import { rateLimitSettings, TokenBucket } from './rate-limiter.js';
import type { RateLimitSettings, RateVerdict } from './rate-limiter.js';
import type { HubSocket } from './types.js';

/** What a handler knows about the caller. */
export interface EventContext {
  socket: HubSocket;
  principal: Principal;
}

/** A parsed-payload handler erased to one signature so the table can be indexed by event name. */
export type Route = (ctx: EventContext, raw: unknown) => Promise<Result<unknown>>;

/** One route per event: the contract's catalog (the hub checks every event is routed) and the events modules add. */
export type RouteTable = Readonly<Record<string, Route>>;

/**
 * Binds a contract event to its handler: the handler sees the parsed payload and must answer the
 * event's ack shape (machines/contract/socket-api.ts), so a handler answering the wrong shape
 * does not compile.
 */
export function route<E extends ClientEventName>(event: E, handle: (ctx: EventContext, payload: EventPayload<E>) => Promise<Result<EventAck<E>>>): Route {
  // Indexing the catalog by a generic name widens to the union of every payload schema; the name ties it back.
  const schema = SOCKET_EVENTS[event].payload as unknown as z.ZodType<EventPayload<E>>;
  return (ctx, raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
      return Promise.resolve(refuse('event.invalid', why.join('; ')));
    }
    return handle(ctx, parsed.data);
  };
}

/**
 * Binds an event a module adds beside the contract (its own zod schema) to its handler; like
 * `route`, the handler only ever sees a parsed payload.
 */
export function moduleRoute<S extends z.ZodType, T>(schema: S, handle: (ctx: EventContext, payload: z.output<S>) => Promise<Result<T>>): Route {
  return (ctx, raw) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
      return Promise.resolve(refuse('event.invalid', why.join('; ')));
    }
    return handle(ctx, parsed.data);
  };
}

/** Limits on what one socket may send. */
export interface InboundLimits {
  maxEventBytes: number;
  ratePerSecond: number;
  burst: number;
  floodFactor?: number;
  floodWindowMs?: number;
}

/** What the pipeline needs. */
export interface InboundDeps {
  routes: RouteTable;
  limits: InboundLimits;
  metrics: HubMetrics;
  inflight: InflightTracker;
  isDraining: () => boolean;
  clock: () => number;
  log: Logger;
}

type AckFn = (answer: Result<unknown>) => void;

/** Bytes of a binary frame as engine.io hands it over (a Buffer, or an ArrayBuffer on some transports). */
function binaryBytes(data: unknown): number {
  if (Buffer.isBuffer(data) || ArrayBuffer.isView(data)) return data.byteLength;
  return data instanceof ArrayBuffer ? data.byteLength : 0;
}

function isAckFn(value: unknown): value is AckFn {
  return typeof value === 'function';
}

function isRouted(routes: RouteTable, name: unknown): name is string {
  return typeof name === 'string' && Object.hasOwn(routes, name);
}

/** What every socket's pipeline shares: the deps and the rate settings, worked out once per hub. */
interface Shared {
  readonly deps: InboundDeps;
  readonly rates: RateLimitSettings;
}

/**
 * Builds the pipeline once per hub; the function it returns installs it on a freshly connected
 * socket. What a socket keeps is one small object (its bucket and the size of the frame being
 * read) and two listeners; the pipeline's steps are shared functions, not closures per socket.
 */
export function createInbound(deps: InboundDeps): (socket: HubSocket) => void {
  const shared: Shared = { deps, rates: rateLimitSettings({ ...deps.limits, clock: deps.clock }) };
  return (socket) => {
    const state = new InboundSocket(socket, shared);
    socket.conn.on('packet', (packet: Packet) => state.frame(packet));
    socket.use((packet) => receive(state, packet));
  };
}

/** Installs the pipeline on one socket (a hub installs it on every socket through `createInbound`). */
export function attachInbound(socket: HubSocket, deps: InboundDeps): void {
  createInbound(deps)(socket);
}

/** One socket's state in the pipeline. */
class InboundSocket {
  readonly bucket: TokenBucket;
  /** The size of the event being read, all of its frames. */
  frameBytes = 0;

  constructor(
    readonly socket: HubSocket,
    readonly shared: Shared,
  ) {
    this.bucket = new TokenBucket(shared.rates);
  }

  /**
   * engine.io reports each raw frame just before socket.io decodes it, in the same tick, so the size
   * seen here belongs to the event the middleware is about to receive. An event with binary
   * attachments arrives as a text frame followed by one binary frame per attachment (socket.io
   * reassembles them before the middleware runs): the event's size is all of its frames.
   */
  frame(packet: Packet): void {
    if (packet.type !== 'message') return;
    const data: unknown = packet.data;
    if (typeof data === 'string') this.frameBytes = Buffer.byteLength(data);
    else this.frameBytes += binaryBytes(data);
  }
}

function receive(state: InboundSocket, packet: unknown[]): void {
  const { socket } = state;
  const { deps } = state.shared;
  const { metrics } = deps;
  metrics.messageIn();
  const received = performance.now();
  const args: unknown[] = [...packet];
  const last = args.at(-1);
  const ack = args.length > 1 && isAckFn(last) ? last : undefined;
  const reply = (given: Result<unknown>) => {
    const answer = given.ok || !isServerFault(given.code) ? given : withheld(deps, given, args[0]);
    if (!answer.ok) metrics.refused(answer.code);
    if (ack === undefined || !socket.connected) return;
    metrics.ack(answer.ok ? 'ok' : answer.code);
    ack(answer);
  };
  try {
    const gated = gate(state, args[0], state.bucket.take());
    if (!gated.ok) return reply(gated);
    const name = gated.data;
    const payloadCount = args.length - 1 - (ack ? 1 : 0);
    if (payloadCount > 1) return reply(refuse('event.invalid', `${name} takes one payload object, got ${payloadCount} arguments`));
    const handle = deps.routes[name];
    if (handle === undefined) return reply(refuse('event.unknown', `no event ${JSON.stringify(name.slice(0, 64))}`));
    const work = handle({ socket, principal: socket.data.principal }, args[1]).catch((error: unknown): Result<unknown> => {
      return refuse('internal', `the handler threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
    void deps.inflight.track(work).then((answer) => {
      metrics.handled(name, performance.now() - received, answer.ok ? 'ok' : answer.code);
      reply(answer);
    });
  } catch (error) {
    deps.log.error('inbound pipeline failed', { error: String(error) });
    reply(refuse('internal', 'the hub failed to read this event'));
  }
}

/** A server fault's details go to the log under a reference; the caller gets the reference only. */
function withheld(deps: InboundDeps, fault: { code: ErrorCode; message: string }, event: unknown): Result<unknown> {
  const ref = randomUUID();
  deps.log.error('socket event failed', { event: String(event).slice(0, 64), code: fault.code, detail: fault.message, correlationId: ref });
  return refuse(fault.code, `the hub failed to handle this event (reference ${ref}); a retry with the same commandId is safe`);
}

function gate(state: InboundSocket, name: unknown, verdict: RateVerdict): Result<string> {
  const { deps } = state.shared;
  const { limits } = deps;
  if (verdict === 'flood') {
    endForFlooding(state);
    return refuse('rate.limited', 'flooding: this socket is being disconnected');
  }
  if (verdict === 'limited') return refuse('rate.limited', `more than ${limits.ratePerSecond} events per second (burst ${limits.burst}); slow down`);
  if (deps.isDraining()) return refuse('hub.draining', 'this hub node is shutting down; reconnect and retry');
  if (!isRouted(deps.routes, name)) return refuse('event.unknown', `no event ${JSON.stringify(String(name).slice(0, 64))}`);
  if (state.frameBytes > limits.maxEventBytes) {
    return refuse('message.too_large', `${name} was ${state.frameBytes} bytes; the limit per event is ${limits.maxEventBytes}`);
  }
  return accept(name);
}

function endForFlooding(state: InboundSocket): void {
  const { socket } = state;
  if (!socket.connected) return;
  const { deps } = state.shared;
  deps.log.warn('disconnecting a flooding socket', { socket: socket.id, role: roleOf(socket.data.principal) });
  endSession(socket, 'rate.limited', 'too many events for too long; reconnect later and slow down', deps.metrics);
}
