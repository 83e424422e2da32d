import { describe, expect, it } from 'vitest';
import { addDays, assertTimeZone, localDate, weekdayIndex, zonedTime, zoneOffsetMs } from './venue-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('venue time', () => {
  it('converts Riyadh wall time (UTC+3, no daylight saving) across the date boundary', () => {
    expect(zoneOffsetMs(Date.UTC(2025, 0, 1), 'Asia/Riyadh')).toBe(3 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2025, 6, 1), 'Asia/Riyadh')).toBe(3 * 3_600_000);
    expect(iso(zonedTime('2025-06-10', '10:00', 'Asia/Riyadh'))).toBe('2025-06-10T07:00:00.000Z');
    // 01:30 in Riyadh on the 10th is still the 9th in UTC.
    expect(iso(zonedTime('2025-06-10', '01:30', 'Asia/Riyadh'))).toBe('2025-06-09T22:30:00.000Z');
    expect(localDate(Date.UTC(2025, 5, 9, 21, 0), 'Asia/Riyadh')).toBe('2025-06-10');
    expect(localDate(Date.UTC(2025, 5, 9, 20, 59, 59, 999), 'Asia/Riyadh')).toBe('2025-06-09');
  });

  it('follows daylight saving in zones that have it', () => {
    // Berlin: 2025-03-30 02:00 → 03:00 (CEST), 2025-10-26 03:00 → 02:00 (CET).
    expect(iso(zonedTime('2025-03-29', '10:00', 'Europe/Berlin'))).toBe('2025-03-29T09:00:00.000Z');
    expect(iso(zonedTime('2025-03-30', '10:00', 'Europe/Berlin'))).toBe('2025-03-30T08:00:00.000Z');
    expect(iso(zonedTime('2025-10-26', '10:00', 'Europe/Berlin'))).toBe('2025-10-26T09:00:00.000Z');
  });

  it('does calendar arithmetic on dates and refuses unknown zones', () => {
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(weekdayIndex('2025-06-10')).toBe(2); // a Tuesday
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/IANA/);
    expect(() => assertTimeZone('Asia/Riyadh')).not.toThrow();
  });
});
