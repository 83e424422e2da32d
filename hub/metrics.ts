/**
 * The hub's Prometheus metrics, kept as plain counters and written out by hand in the text
 * exposition format (version 0.0.4) at GET /metrics. Recording is a few additions per message so
 * it never competes with the socket path.
 *
 *   vh_socket_connections                 gauge      open sockets on this node
 *   vh_messages_in_total                  counter    inbound socket events (accepted or refused)
 *   vh_messages_out_total{event}          counter    acks and emits (a room broadcast counts once)
 *   vh_acks_total{code}                   counter    acks sent, by outcome: ok or the refusal code
 *   vh_refusals_total{code}               counter    refused events and handshakes, acked or not
 *   vh_command_duration_seconds           histogram  actor host commands, from call to commit answer
 *   vh_event_loop_lag_seconds{stat}       gauge      event-loop delay since the previous scrape
 *   vh_draining                           gauge      1 while the node drains
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ErrorCode } from '../machines/errors.js';

/** Histogram bucket upper bounds for command durations, in seconds. */
export const COMMAND_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Counters the socket edge records into and the /metrics route reads. */
export interface HubMetrics {
  socketOpened(): void;
  socketClosed(): void;
  messageIn(): void;
  messageOut(event: string): void;
  /** Counts one ack sent (also as one outbound message). */
  ack(code: 'ok' | ErrorCode): void;
  /** Counts one refusal, whether or not the client asked for an ack. */
  refused(code: ErrorCode): void;
  commandDuration(ms: number): void;
  setDraining(draining: boolean): void;
  /** The exposition text. Event-loop lag restarts its window on each call. */
  render(): string;
  /** Stops the event-loop delay sampler. */
  stop(): void;
}

/** Creates the metrics of one hub node. */
export function createHubMetrics(): HubMetrics {
  let connections = 0;
  let messagesIn = 0;
  let draining = 0;
  const messagesOut = new Map<string, number>();
  const acks = new Map<string, number>();
  const refusals = new Map<string, number>();
  const buckets: number[] = COMMAND_BUCKETS_SECONDS.map(() => 0);
  let durationSum = 0;
  let durationCount = 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  return {
    socketOpened: () => void connections++,
    socketClosed: () => void connections--,
    messageIn: () => void messagesIn++,
    messageOut: (event) => bump(messagesOut, event),
    ack(code) {
      bump(acks, code);
      bump(messagesOut, 'ack');
    },
    refused: (code) => bump(refusals, code),
    commandDuration(ms) {
      const seconds = ms / 1000;
      durationSum += seconds;
      durationCount++;
      COMMAND_BUCKETS_SECONDS.forEach((le, i) => {
        if (seconds <= le) buckets[i] = (buckets[i] ?? 0) + 1;
      });
    },
    setDraining: (on) => void (draining = on ? 1 : 0),
    render() {
      const lines: string[] = [];
      const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      family('vh_socket_connections', 'gauge', 'Open sockets on this node.');
      lines.push(`vh_socket_connections ${connections}`);
      family('vh_messages_in_total', 'counter', 'Inbound socket events, accepted or refused.');
      lines.push(`vh_messages_in_total ${messagesIn}`);
      family('vh_messages_out_total', 'counter', 'Outbound acks and emits; a room broadcast counts once.');
      for (const [event, n] of messagesOut) lines.push(`vh_messages_out_total{event="${event}"} ${n}`);
      family('vh_acks_total', 'counter', 'Acks by outcome: ok or the refusal code.');
      for (const [code, n] of acks) lines.push(`vh_acks_total{code="${code}"} ${n}`);
      family('vh_refusals_total', 'counter', 'Refused events and handshakes by code, acked or not.');
      for (const [code, n] of refusals) lines.push(`vh_refusals_total{code="${code}"} ${n}`);
      family('vh_command_duration_seconds', 'histogram', 'Actor host commands from call to committed answer.');
      COMMAND_BUCKETS_SECONDS.forEach((le, i) => lines.push(`vh_command_duration_seconds_bucket{le="${le}"} ${buckets[i] ?? 0}`));
      lines.push(`vh_command_duration_seconds_bucket{le="+Inf"} ${durationCount}`);
      lines.push(`vh_command_duration_seconds_sum ${durationSum}`, `vh_command_duration_seconds_count ${durationCount}`);
      family('vh_event_loop_lag_seconds', 'gauge', 'Event-loop delay since the previous scrape.');
      const ns = (v: number) => (Number.isFinite(v) ? v / 1e9 : 0);
      lines.push(`vh_event_loop_lag_seconds{stat="p50"} ${ns(loop.percentile(50))}`);
      lines.push(`vh_event_loop_lag_seconds{stat="p99"} ${ns(loop.percentile(99))}`);
      lines.push(`vh_event_loop_lag_seconds{stat="max"} ${ns(loop.max)}`);
      loop.reset();
      family('vh_draining', 'gauge', '1 while the node drains.');
      lines.push(`vh_draining ${draining}`);
      return lines.join('\n') + '\n';
    },
    stop: () => loop.disable(),
  };
}
