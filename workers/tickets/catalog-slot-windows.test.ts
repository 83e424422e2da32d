import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogStore } from '../catalog/catalog-store.js';
import { openSqliteCatalogStore } from '../catalog/sqlite-catalog-store.js';
import { catalogSlotWindows } from './catalog-slot-windows.js';

describe('catalog slot windows', () => {
  let dir: string;
  let catalog: CatalogStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vh-slot-windows-'));
    catalog = openSqliteCatalogStore({ file: join(dir, 'venue-hub.db') });
  });
  afterEach(async () => {
    await catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives a generated slot's window labelled with its activity, and null for an unknown slot", async () => {
    const startsAt = Date.UTC(2030, 5, 1, 7, 0);
    await catalog.items.insert('activity', { activityId: 'wave-pool', name: 'Wave pool', description: '', zone: 'north', active: true }, 1);
    await catalog.slots.insertMissing([
      { slotId: 'wave-pool-2030-06-01-1000', activityId: 'wave-pool', scheduleId: 'wave-pool-daily', date: '2030-06-01', startTime: '10:00', startsAt, endsAt: startsAt + 3_600_000, capacity: 40 },
    ]);
    const windows = catalogSlotWindows(catalog);
    expect(await windows.window('wave-pool-2030-06-01-1000')).toEqual({ startsAt, endsAt: startsAt + 3_600_000, label: 'Wave pool', zone: 'north' });
    expect(await windows.window('wave-pool-2030-06-02-1000')).toBeNull();
  });
});
