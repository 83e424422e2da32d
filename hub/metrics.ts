/**
 * Prometheus metrics through prom-client, served at GET /metrics (text exposition 0.0.4) by hub
 * nodes and by the worker. Three registries, merged at each scrape:
 *
 *   process (one per process)  prom-client's default metrics: process_cpu_seconds_total,
 *                              process_resident_memory_bytes, nodejs_eventloop_lag_*, nodejs_heap_*, …
 *   runtime (hub and worker)   vh_outbox_lag_seconds{type}     histogram  commit → effect delivered
 *                              vh_timer_lag_seconds            histogram  due time → timer fired
 *                              vh_payments_total{outcome}      counter    payment actors reaching a state
 *                                                                         (pending, authorized, captured, failed, refunded)
 *   hub (socket edge)          vh_socket_connections           gauge      open sockets on this node
 *                              vh_sockets{role}                gauge      open sockets by role (visitor, …, device:gate)
 *                              vh_messages_in_total            counter    inbound socket events (accepted or refused)
 *                              vh_messages_out_total{event}    counter    acks and emits (a room broadcast counts once)
 *                              vh_acks_total{code}             counter    acks sent by outcome: ok or the refusal code
 *                              vh_refusals_total{code}         counter    refused events and handshakes, acked or not
 *                              vh_command_duration_seconds{event} histogram  socket events from receipt to answer
 *                                                                         (actor:command, booking:hold, gate:scan, …)
 *                              vh_holds_total{outcome}         counter    booking:hold answers: ok or the refusal code
 *                              vh_gate_scans_total{verdict}    counter    gate:scan verdicts (admitted, exited, already_used, refused)
 *                              vh_draining                     gauge      1 while the node drains
 *
 *   runtime registry (hub and worker)  vh_projection_lag{projection}  gauge  changes a read model is behind
 *                                                                          the change log's head (read at scrape time)
 *
 * Recording is a label lookup and an addition, so it never competes with the socket path.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '../machines/errors.js';
import type { ChangeBus } from '../workers/actors/change-bus.js';
import type { Projector } from '../workers/projections/projector.js';
import type { RuntimeObserver } from '../workers/runtime-observer.js';

/** Histogram bucket upper bounds for command durations, in seconds. */
export const COMMAND_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
/** Buckets for queue and timer lag, in seconds (effects and timers wait longer than commands). */
const LAG_BUCKETS_SECONDS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600];

/** The Prometheus text format's content type. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

let processRegistry: Registry | undefined;

/** prom-client's default process and Node metrics, collected once per process. */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Metrics of the actor runtime, shared by a hub node and the worker. */
export interface RuntimeMetrics extends RuntimeObserver {
  readonly registry: Registry;
  /** Counts payment outcomes from committed changes; returns the unsubscribe. */
  watch(bus: Pick<ChangeBus, 'subscribe'>): () => void;
  /** Reports each projection's lag (the log's head minus its cursor) at every scrape. */
  watchProjections(projector: Pick<Projector, 'lag'>): void;
  /** The exposition text of the process and runtime metrics. */
  render(): Promise<string>;
}

/** Creates the runtime metrics of one process. */
export function createRuntimeMetrics(): RuntimeMetrics {
  const registry = new Registry();
  const outboxLag = new Histogram({ name: 'vh_outbox_lag_seconds', help: 'Time from the commit that wrote an effect to its delivery.', labelNames: ['type'], buckets: LAG_BUCKETS_SECONDS, registers: [registry] });
  const timerLag = new Histogram({ name: 'vh_timer_lag_seconds', help: 'How late durable timers fired after their due time.', buckets: LAG_BUCKETS_SECONDS, registers: [registry] });
  const payments = new Counter({ name: 'vh_payments_total', help: 'Payment actors reaching a state, by outcome.', labelNames: ['outcome'], registers: [registry] });
  let projector: Pick<Projector, 'lag'> | undefined;
  new Gauge({
    name: 'vh_projection_lag',
    help: "Changes a read model is behind: the change log's latest sequence minus the projection's cursor.",
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      if (projector === undefined) return;
      // A store that does not answer leaves the last values: a scrape never fails on it.
      const lag = await projector.lag().catch(() => undefined);
      for (const [projection, behind] of Object.entries(lag ?? {})) this.set({ projection }, behind);
    },
  });
  return {
    registry,
    effectDelivered: (type, lagMs) => outboxLag.observe({ type }, Math.max(0, lagMs) / 1000),
    timerFired: (lateMs) => timerLag.observe(lateMs / 1000),
    watch: (bus) =>
      bus.subscribe((notice) => {
        if (notice.kind === 'payment' && notice.state !== notice.from) payments.inc({ outcome: notice.state });
      }),
    watchProjections: (watched) => void (projector = watched),
    render: () => Registry.merge([processMetrics(), registry]).metrics(),
  };
}

/** Counters the socket edge records into and the /metrics route reads. */
export interface HubMetrics {
  socketOpened(role: string): void;
  socketClosed(role: string): void;
  messageIn(): void;
  messageOut(event: string): void;
  /** Counts one ack sent (also as one outbound message). */
  ack(code: 'ok' | ErrorCode): void;
  /** Counts one refusal, whether or not the client asked for an ack. */
  refused(code: ErrorCode): void;
  /** One socket event answered after `ms`, with its outcome (ok or the refusal code). */
  handled(event: string, ms: number, outcome: 'ok' | ErrorCode): void;
  /** One gate verdict. */
  scanned(verdict: string): void;
  setDraining(draining: boolean): void;
  /** The exposition text: process, runtime (when given) and hub metrics. */
  render(): Promise<string>;
  /** Nothing to stop since prom-client; kept for the drain's ordering. */
  stop(): void;
}

/** Creates the metrics of one hub node; `runtime` adds the runtime metrics of its process. */
export function createHubMetrics(runtime?: Pick<RuntimeMetrics, 'registry'>): HubMetrics {
  const registry = new Registry();
  const registers = [registry];
  const connections = new Gauge({ name: 'vh_socket_connections', help: 'Open sockets on this node.', registers });
  const byRole = new Gauge({ name: 'vh_sockets', help: 'Open sockets on this node by role (people by role, devices as device:<kind>).', labelNames: ['role'], registers });
  const messagesIn = new Counter({ name: 'vh_messages_in_total', help: 'Inbound socket events, accepted or refused.', registers });
  const messagesOut = new Counter({ name: 'vh_messages_out_total', help: 'Outbound acks and emits; a room broadcast counts once.', labelNames: ['event'], registers });
  const acks = new Counter({ name: 'vh_acks_total', help: 'Acks by outcome: ok or the refusal code.', labelNames: ['code'], registers });
  const refusals = new Counter({ name: 'vh_refusals_total', help: 'Refused events and handshakes by code, acked or not.', labelNames: ['code'], registers });
  const duration = new Histogram({
    name: 'vh_command_duration_seconds',
    help: 'Socket events (actor:command, booking:hold, gate:scan, …) from receipt to answer.',
    labelNames: ['event'],
    buckets: [...COMMAND_BUCKETS_SECONDS],
    registers,
  });
  const holds = new Counter({ name: 'vh_holds_total', help: 'booking:hold answers by outcome: ok or the refusal code.', labelNames: ['outcome'], registers });
  const scans = new Counter({ name: 'vh_gate_scans_total', help: 'Gate scan verdicts.', labelNames: ['verdict'], registers });
  const draining = new Gauge({ name: 'vh_draining', help: '1 while the node drains.', registers });
  draining.set(0);
  connections.set(0);

  return {
    socketOpened(role) {
      connections.inc();
      byRole.inc({ role });
    },
    socketClosed(role) {
      connections.dec();
      byRole.dec({ role });
    },
    messageIn: () => messagesIn.inc(),
    messageOut: (event) => messagesOut.inc({ event }),
    ack(code) {
      acks.inc({ code });
      messagesOut.inc({ event: 'ack' });
    },
    refused: (code) => refusals.inc({ code }),
    handled(event, ms, outcome) {
      duration.observe({ event }, ms / 1000);
      if (event === 'booking:hold') holds.inc({ outcome });
    },
    scanned: (verdict) => scans.inc({ verdict }),
    setDraining: (on) => draining.set(on ? 1 : 0),
    render: () => Registry.merge([processMetrics(), ...(runtime === undefined ? [] : [runtime.registry]), registry]).metrics(),
    stop: () => {},
  };
}
