import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotAvailability } from '../../machines/contract/wire.js';
import type { ClientSocket, TestHub } from '../hub.test-support.js';
import { holdOf, nextEvent, startTestHub, TEST_SLOT } from '../hub.test-support.js';

describe('live slot availability', () => {
  let t: TestHub;
  let watcher: ClientSocket;
  let buyer: ClientSocket;
  beforeAll(async () => {
    t = await startTestHub({ slots: { [TEST_SLOT]: 10 } });
    watcher = await t.connect(await t.person('watcher', 'visitor'));
    buyer = await t.connect(await t.person('buyer', 'visitor'));
  });
  afterAll(async () => {
    watcher.close();
    buyer.close();
    await t.stop();
  });

  it('answers the current places, then pushes every hold and release', async () => {
    const first = await watcher.emitWithAck('availability:subscribe', { slotIds: [TEST_SLOT, 'no-such-slot'] });
    expect(first).toMatchObject({ ok: true, data: { slots: [{ slotId: TEST_SLOT, capacity: 10, taken: 0, remaining: 10 }] } });

    const afterHold = nextEvent(watcher, 'slot:availability', (level: SlotAvailability) => level.remaining === 9);
    expect(await buyer.emitWithAck('booking:hold', holdOf('avail-1'))).toMatchObject({ ok: true });
    expect(await afterHold).toMatchObject({ slotId: TEST_SLOT, taken: 1, remaining: 9 });

    const afterCancel = nextEvent(watcher, 'slot:availability', (level: SlotAvailability) => level.remaining === 10);
    const cancelled = await buyer.emitWithAck('actor:command', { kind: 'booking', id: 'avail-1', event: { type: 'booking.cancel', reason: 'changed plans' } });
    expect(cancelled).toMatchObject({ ok: true, data: { state: 'cancelled' } });
    expect(await afterCancel).toMatchObject({ slotId: TEST_SLOT, taken: 0, remaining: 10 });
  });

  it('refuses more than 50 slots or malformed ids, and stops pushing after unsubscribe', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `s${i}`);
    expect(await watcher.emitWithAck('availability:subscribe', { slotIds: many })).toMatchObject({ ok: false, code: 'event.invalid' });
    expect(await watcher.emitWithAck('availability:unsubscribe', { slotIds: [TEST_SLOT] })).toEqual({ ok: true, data: { unsubscribed: true } });
    const seen: SlotAvailability[] = [];
    watcher.on('slot:availability', (level) => seen.push(level));
    // The buyer's own subscription proves the push happened; the watcher must not get it.
    await buyer.emitWithAck('availability:subscribe', { slotIds: [TEST_SLOT] });
    const buyerSaw = nextEvent(buyer, 'slot:availability', (level: SlotAvailability) => level.remaining === 9);
    await buyer.emitWithAck('booking:hold', holdOf('avail-2'));
    await buyerSaw;
    expect(seen).toEqual([]);
  });
});
