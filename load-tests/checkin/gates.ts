/**
 * The gates of bench:checkin: GATES gate devices (tokens minted by a super admin over HTTP, each
 * bound to its own gate in the activity's zone), each on its own socket, and an open-loop stream
 * of entry scans over them:
 *
 *   scan i is due at t0 + i / rate ─▶ gate i mod GATES ─▶ gate:scan {token: ticket i, nonce, entry}
 *   (sent when due, whether or not earlier scans were answered)       latency = ack − send
 *
 * Gates are the device library's connections (the SDK); a scan is `scan()`, whose promise adds
 * one microtask per answer to what the bench process does, none to the hub's work measured here.
 * Each ticket is scanned once. At 500 scans/s over 50 gates each socket sends 10 events/s, well
 * under the hub's per-socket limit (50/s).
 */
import { connectGate } from '../../clients/devices/gate-simulator.js';
import type { GateSocket } from '../../clients/devices/gate-simulator.js';
import type { HubResult } from '../../clients/sdk/index.js';
import type { GateScan, ScanVerdict } from '../../machines/contract/wire.js';
import { issueDevice } from '../harness/index.js';
import type { PaidTicket } from '../harness/index.js';
import { Latencies, progress, round } from '../stats.js';

/** One gate device, connected. */
export interface Gate {
  gateId: string;
  socket: GateSocket;
}

/** Mints `count` gate devices in `zone` on the first URL and connects gate k to urls[k mod n]. */
export async function connectGates(urls: string[], adminToken: string, zone: string, count: number, stamp: string): Promise<Gate[]> {
  const [first] = urls;
  if (first === undefined) throw new Error('no hub URL');
  return Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const gateId = `ck-gate-${stamp}-${k}`;
      const device = await issueDevice(first, adminToken, { deviceId: `dev-${gateId}`, deviceKind: 'gate', scope: { gateId, zone } });
      return { gateId, socket: await connectGate(urls[k % urls.length] ?? first, device.token, 30_000) };
    }),
  );
}

/** What a scan stream measured. */
export interface ScanRun {
  latencies: Latencies;
  /** Verdicts by kind (`admitted`, `already_used`, `refused:<code>`, `exited`), and `ack:<code>` / `unanswered`. */
  verdicts: Record<string, number>;
  sent: number;
  answered: number;
  admitted: number;
  /** First send to last ack, ms. */
  elapsedMs: number;
  /** First send to last send, ms. */
  sendingMs: number;
  /** How far behind schedule the sends went (the bench's own event loop), ms. */
  sendLagP99Ms: number;
  sendLagMaxMs: number;
  /** The first refusal or failed ack, to show what went wrong. */
  firstOther?: string;
  /** Send time (epoch ms) of every admitted scan, in the order the admissions were answered. */
  admittedSends: Float64Array;
}

/** Sends one entry scan per ticket at `rate` per second over the gates; resolves when every scan was answered or timed out. */
export async function scanAll(gates: Gate[], tickets: PaidTicket[], options: { rate: number; label: string; stamp: string; ackTimeoutMs?: number; quiet?: boolean }): Promise<ScanRun> {
  const latencies = new Latencies();
  const sendLags = new Latencies();
  const verdicts: Record<string, number> = {};
  const intervalMs = 1000 / options.rate;
  const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  let firstOther: string | undefined;
  let answered = 0;
  let admitted = 0;
  let sent = 0;
  let lastAckAt = 0;
  let lastSendAt = 0;
  const admittedSends = new Float64Array(tickets.length);
  const count = (kind: string, detail: unknown) => {
    verdicts[kind] = (verdicts[kind] ?? 0) + 1;
    if (kind !== 'admitted') firstOther ??= JSON.stringify(detail);
  };

  const t0 = performance.now() + 50;
  let allAnswered: () => void = () => {};
  const finished = new Promise<void>((resolve) => (allAnswered = resolve));
  const onAnswer = (sentAt: number, answer: HubResult<ScanVerdict>) => {
    const at = performance.now();
    lastAckAt = at;
    answered++;
    if (!answer.ok && (answer.code === 'client.timeout' || answer.code === 'client.disconnected')) count('unanswered', answer.message);
    else if (!answer.ok) count(`ack:${answer.code}`, answer);
    else {
      latencies.record(at - sentAt);
      const v = answer.data;
      if (v.verdict === 'admitted') admittedSends[admitted++] = performance.timeOrigin + sentAt;
      count(v.verdict === 'refused' ? `refused:${v.code}` : v.verdict, v);
    }
    if (answered === tickets.length) allAnswered();
  };

  let shownAt = 0;
  const pump = () => {
    const now = performance.now();
    while (sent < tickets.length && t0 + sent * intervalMs <= now) {
      const i = sent++;
      const ticket = tickets[i];
      const gate = gates[i % gates.length];
      if (!ticket || !gate) continue;
      const scan: GateScan = { token: ticket.token, nonce: `ck-${options.stamp}-${i}`, direction: 'entry', at: Date.now() };
      const sentAt = performance.now();
      sendLags.record(sentAt - (t0 + i * intervalMs));
      lastSendAt = sentAt;
      void gate.socket.scan(scan, { timeoutMs: ackTimeoutMs }).then((answer) => onAnswer(sentAt, answer));
    }
    if (!options.quiet && now - shownAt >= 10_000) {
      shownAt = now;
      const s = latencies.summary();
      if (sent > 0) progress(`${options.label}: ${sent}/${tickets.length} scans sent, ${answered} answered (${admitted} admitted); so far p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`);
    }
    if (sent < tickets.length) setTimeout(pump, Math.max(0, t0 + sent * intervalMs - performance.now()));
  };
  if (tickets.length === 0) allAnswered();
  else pump();
  await finished;
  const lag = sendLags.summary();
  return {
    latencies,
    verdicts,
    sent,
    answered,
    admitted,
    elapsedMs: lastAckAt - t0,
    sendingMs: lastSendAt - t0,
    sendLagP99Ms: lag.p99Ms,
    sendLagMaxMs: lag.maxMs,
    ...(firstOther === undefined ? {} : { firstOther }),
    admittedSends: admittedSends.slice(0, admitted),
  };
}

/**
 * Scan-to-screen latency: for each sampled watcher and each admitted scan, from the scan's send to
 * the watcher's first receipt of a level that includes it. The k-th admission answered is taken
 * as the k-th entry counted, so a level of `base + k` or more includes it.
 */
export function scanToScreen(admittedSends: Float64Array, base: number, samples: readonly Float64Array[]): { latencies: Latencies; unseen: number } {
  const latencies = new Latencies();
  let unseen = 0;
  for (const pairs of samples) {
    let covered = 0;
    for (let j = 0; j + 1 < pairs.length; j += 2) {
      const upTo = Math.min(admittedSends.length, (pairs[j] ?? 0) - base);
      const at = pairs[j + 1] ?? 0;
      for (; covered < upTo; covered++) latencies.record(at - (admittedSends[covered] ?? at));
    }
    unseen += admittedSends.length - covered;
  }
  return { latencies, unseen };
}

/** The scan order: one ticket of every booking, then the second of every booking, … (parties arrive mixed). */
export function interleaveByBooking(tickets: PaidTicket[]): PaidTicket[] {
  const byBooking = new Map<string, PaidTicket[]>();
  for (const t of tickets) {
    const list = byBooking.get(t.bookingId);
    if (list) list.push(t);
    else byBooking.set(t.bookingId, [t]);
  }
  const lists = [...byBooking.values()];
  const out: PaidTicket[] = [];
  for (let j = 0; out.length < tickets.length; j++) for (const list of lists) if (list[j]) out.push(list[j] as PaidTicket);
  return out;
}

/** Rounds a ratio to a percentage of one core. */
export function pctOfCore(cpuSeconds: number, elapsedMs: number): number {
  return round((cpuSeconds / Math.max(elapsedMs / 1000, 0.001)) * 100, 0);
}
