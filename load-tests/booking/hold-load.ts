/**
 * The two ways bench:booking loads the hub with holds, both through the SDK's `hold` on real
 * sockets, one place per hold, a fresh booking id each:
 *
 *   burst   every visitor sends its holds back to back (closed loop: one in flight per visitor,
 *           all visitors at once): the most holds per second the hub sustains
 *   paced   holds sent on a fixed schedule across the visitors (open loop), the latency a visitor
 *           sees when the hub runs at that rate
 *
 * Latency is from the send to the ack (both stamped in this process, so one clock). Every answer
 * is tallied by code; granted holds are counted per slot for the ledger check.
 */
import type { HubClient } from '../../clients/sdk/hub-client.js';
import { Latencies, progress } from '../stats.js';
import type { SlotSet } from './slot-set.js';

/** What a phase produced. */
export interface HoldTally {
  attempts: number;
  ok: number;
  soldOut: number;
  /** Any other answer by code (client.timeout would mean an outcome the ledger check cannot pair). */
  other: Record<string, number>;
  grantedBySlot: Map<string, number>;
  latencies: Latencies;
  elapsedMs: number;
}

function emptyTally(): HoldTally {
  return { attempts: 0, ok: 0, soldOut: 0, other: {}, grantedBySlot: new Map(), latencies: new Latencies(), elapsedMs: 0 };
}

/** Adds `b`'s counts into `a` (latencies are kept per phase). */
export function addGranted(a: Map<string, number>, b: ReadonlyMap<string, number>): void {
  for (const [slot, n] of b) a.set(slot, (a.get(slot) ?? 0) + n);
}

async function timedHold(client: HubClient, bookingId: string, slotId: string, ticketTypeId: string, tally: HoldTally): Promise<void> {
  tally.attempts++;
  const sent = performance.now();
  const answer = await client.hold({ bookingId, slotId, items: [{ ticketTypeId, qty: 1 }] });
  tally.latencies.record(performance.now() - sent);
  if (answer.ok) {
    tally.ok++;
    tally.grantedBySlot.set(slotId, (tally.grantedBySlot.get(slotId) ?? 0) + 1);
  } else if (answer.code === 'slot.sold_out') {
    tally.soldOut++;
  } else {
    tally.other[answer.code] = (tally.other[answer.code] ?? 0) + 1;
  }
}

/** Reports the count every second while `work` runs. */
async function withProgress<T>(label: string, tally: HoldTally, total: number, work: Promise<T>): Promise<T> {
  const timer = setInterval(() => progress(`${label}: ${tally.latencies.count}/${total} answered (${tally.ok} held, ${tally.soldOut} sold out)`), 1_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Closed loop: each client sends `perClient` holds one after another, all clients at once. */
export async function burstHolds(clients: readonly HubClient[], slots: readonly string[], ticketTypeId: string, perClient: number, prefix: string): Promise<HoldTally> {
  const tally = emptyTally();
  const started = performance.now();
  const run = Promise.all(
    clients.map(async (client, v) => {
      for (let j = 0; j < perClient; j++) {
        // Consecutive holds of one visitor land on different slots; all slots get equal traffic.
        const slot = slots[(v + j * 7) % slots.length] ?? '';
        await timedHold(client, `${prefix}-v${v}-h${j}`, slot, ticketTypeId, tally);
      }
    }),
  );
  await withProgress('burst', tally, clients.length * perClient, run);
  tally.elapsedMs = performance.now() - started;
  return tally;
}

/** Open loop: `count` holds at `ratePerSec`, round-robin over clients and slots. */
export async function pacedHolds(clients: readonly HubClient[], slots: readonly string[], ticketTypeId: string, count: number, ratePerSec: number, prefix: string): Promise<HoldTally> {
  const tally = emptyTally();
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const send = async () => {
    let sent = 0;
    while (sent < count) {
      const due = Math.min(count, Math.floor(((performance.now() - started) * ratePerSec) / 1000) + 1);
      for (; sent < due; sent++) {
        const client = clients[sent % clients.length];
        if (client) inFlight.push(timedHold(client, `${prefix}-p${sent}`, slots[sent % slots.length] ?? '', ticketTypeId, tally));
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
  };
  await withProgress(`paced ${ratePerSec}/s`, tally, count, send());
  tally.elapsedMs = performance.now() - started;
  return tally;
}

/** Warms the hub's hold path on the set's warm-up slot (not counted anywhere). */
export async function warmUp(clients: readonly HubClient[], set: SlotSet, count: number, prefix: string): Promise<void> {
  const tally = emptyTally();
  const width = Math.min(50, clients.length);
  await Promise.all(
    Array.from({ length: width }, async (_, w) => {
      for (let k = w; k < count; k += width) {
        const client = clients[k % clients.length];
        if (client) await timedHold(client, `${prefix}-w${k}`, set.warmUp.slotId, set.ticketTypeId, tally);
      }
    }),
  );
}
