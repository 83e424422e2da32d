/**
 * Live places when holds are taken under the visitor hold limits (HOLD_MAX_*, which `npm start`
 * always sets): those holds take through the ledger's `takeFor`, and watchers must hear them too.
 * Its own file: a hub process holds one uWebSockets.js hub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotAvailability } from '../../machines/contract/wire.js';
import type { ClientSocket, TestHub } from '../hub.test-support.js';
import { holdOf, nextEvent, startTestHub, TEST_SLOT } from '../hub.test-support.js';

describe('live slot availability under hold limits', () => {
  let t: TestHub;
  let watcher: ClientSocket;
  let buyer: ClientSocket;
  beforeAll(async () => {
    t = await startTestHub({ slots: { [TEST_SLOT]: 10 }, holdLimits: { perSlot: 20, total: 40 } });
    watcher = await t.connect(await t.person('watcher', 'visitor'));
    buyer = await t.connect(await t.person('buyer', 'visitor'));
  });
  afterAll(async () => {
    watcher.close();
    buyer.close();
    await t.stop();
  });

  it('pushes a hold taken within the limits', async () => {
    expect(await watcher.emitWithAck('availability:subscribe', { slotIds: [TEST_SLOT] })).toMatchObject({ ok: true, data: { slots: [{ remaining: 10 }] } });
    const afterHold = nextEvent(watcher, 'slot:availability', (level: SlotAvailability) => level.remaining === 9);
    expect(await buyer.emitWithAck('booking:hold', holdOf('avail-limited'))).toMatchObject({ ok: true });
    expect(await afterHold).toMatchObject({ slotId: TEST_SLOT, taken: 1, remaining: 9 });
  });
});
