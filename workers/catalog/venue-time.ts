/**
 * Venue-local calendar arithmetic with `Intl` only (no date library): slots are defined in the
 * venue's wall-clock time (`Asia/Riyadh` by default) and stored as epoch milliseconds.
 *
 *   local wall time ──guess as if UTC──▶ minus the zone's offset at that instant ──▶ epoch ms
 *
 * The offset is re-read at the corrected instant, which settles zones with daylight saving
 * (a wall time skipped by a spring-forward lands one offset later; Riyadh has none).
 */

/** The venue's zone unless configured otherwise (VENUE_TIME_ZONE). */
export const DEFAULT_VENUE_TIME_ZONE = 'Asia/Riyadh';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a readable error unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}: use an IANA name such as Asia/Riyadh`);
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const get = (name: string) => fields[name] ?? 0;
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at an instant, in milliseconds (Riyadh: +3 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // The wall clock has whole seconds; compare with the instant floored to its second.
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The venue-local date (`yyyy-mm-dd`) of an instant. */
export function localDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

/** The instant of a venue-local date and time (`hh:mm`). */
export function zonedTime(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** Day of the week of a calendar date, 0 = Sunday. */
export function weekdayIndex(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
