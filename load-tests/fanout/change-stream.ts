/**
 * A paced stream of committed changes made the way visitors make them, over sockets:
 *
 *   lane k:  booking:hold (v1) ─▶ booking.submit (v2) ─▶ booking.cancel (v3) ─▶ next booking …
 *
 * Every change lands in the booking's actor room and in the `dashboard` feed. Each command
 * takes the next tick of one shared schedule (RATE per second) and its send time is kept
 * under `<bookingId>@<version>` (the version comes back in the ack), so receivers can compute
 * end-to-end delivery latency: command sent → change received. Cancelling gives the seat back,
 * so the demo slots never run out (a `slot.not_found` means `harness/demo-venue.ts` no longer matches
 * the seeded venue).
 */
import type { HubClient } from '../../clients/sdk/index.js';
import { demoPlaces, oneSeat } from '../harness/demo-venue.js';
import type { DemoPlace } from '../harness/demo-venue.js';
import { changeKey, nowMs } from './protocol.js';

/** Options of a change stream. */
export interface ChangeStreamOptions {
  /** Visitor clients; lane k uses drivers[k % n] (the hub limits commands per socket). */
  drivers: HubClient[];
  /** Commands to send in all (each one commits one change when accepted). */
  changes: number;
  ratePerSec: number;
  /** Where to hold places, round-robin (default: the demo venue's). */
  places?: DemoPlace[];
  /** Bookings in flight at once (default 4). */
  lanes?: number;
  /** Prefix of the booking ids (unique per run). */
  prefix: string;
  /** Stop issuing after this long even if commands are still owed (default: twice the planned time + 15 s). */
  stopAfterMs?: number;
}

/** What the stream did. */
export interface ChangeStreamResult {
  /** Send time of each committed change, by `<id>@<version>`. */
  sentAt: Map<string, number>;
  committed: number;
  refused: Record<string, number>;
  elapsedMs: number;
  /** Command round trips (sent → ack), ms. */
  ackMs: number[];
}

/** Runs the stream to the end and returns the send times. */
export async function runChangeStream(options: ChangeStreamOptions): Promise<ChangeStreamResult> {
  const sentAt = new Map<string, number>();
  const refused: Record<string, number> = {};
  const ackMs: number[] = [];
  const intervalMs = 1000 / options.ratePerSec;
  const started = nowMs();
  const stopAt = started + (options.stopAfterMs ?? 2 * options.changes * intervalMs + 15_000);
  let issued = 0;
  let committed = 0;
  const places = options.places ?? demoPlaces();
  let slot = 0;

  /** Waits for the next tick of the shared schedule; false when the stream is complete. */
  const tick = async (): Promise<boolean> => {
    if (issued >= options.changes || nowMs() > stopAt) return false;
    const due = started + issued++ * intervalMs;
    const wait = due - nowMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return true;
  };

  const timed = async (id: string, send: () => Promise<{ ok: true; data: { version: number } } | { ok: false; code: string }>): Promise<boolean> => {
    const t = nowMs();
    const answer = await send();
    ackMs.push(nowMs() - t);
    if (!answer.ok) {
      refused[answer.code] = (refused[answer.code] ?? 0) + 1;
      return false;
    }
    sentAt.set(changeKey(id, answer.data.version), t);
    committed++;
    return true;
  };

  const lane = async (k: number) => {
    const driver = options.drivers[k % options.drivers.length];
    if (!driver) return;
    for (let n = 0; ; n++) {
      const id = `${options.prefix}-${k}-${n}`;
      const place = places[slot++ % places.length];
      if (!place) return;
      if (!(await tick())) return;
      if (!(await timed(id, () => driver.hold(oneSeat(id, place))))) continue;
      if (!(await tick())) return;
      if (!(await timed(id, () => driver.command('booking', id, { type: 'booking.submit' })))) continue;
      if (!(await tick())) return;
      await timed(id, () => driver.command('booking', id, { type: 'booking.cancel', reason: 'bench' }));
    }
  };

  await Promise.all(Array.from({ length: options.lanes ?? 4 }, (_, k) => lane(k)));
  return { sentAt, committed, refused, elapsedMs: nowMs() - started, ackMs };
}
