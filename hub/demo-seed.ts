/**
 * The demo venue created on first start of the embedded default, so a fresh install has
 * something to book: today's and tomorrow's time slots with their capacity in the ledger.
 */
import type { Logger } from '../workers/logger.js';
import type { Runtime } from '../workers/runtime.js';

/** Demo slot ids: `demo-<yyyy-mm-dd>-<hh>00`, hourly from 10:00 to 17:00. */
export function demoSlotIds(day: Date): string[] {
  const date = day.toISOString().slice(0, 10);
  return Array.from({ length: 8 }, (_, i) => `demo-${date}-${String(10 + i).padStart(2, '0')}00`);
}

/** Defines demo slots for today and tomorrow that do not exist yet (capacity 50 each). */
export async function seedDemoVenue(runtime: Pick<Runtime, 'store'>, log: Logger, now = new Date()): Promise<number> {
  const tomorrow = new Date(now.getTime() + 86_400_000);
  let created = 0;
  for (const slotId of [...demoSlotIds(now), ...demoSlotIds(tomorrow)]) {
    if (await runtime.store.ledger.level(slotId)) continue;
    await runtime.store.ledger.defineSlot(slotId, 50);
    created++;
  }
  if (created > 0) log.info('demo venue seeded', { slots: created });
  return created;
}
