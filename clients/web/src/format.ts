/**
 * Money, dates and durations for the venue, through `Intl` only: amounts arrive in halalas and
 * are shown in SAR; times are shown on the venue's clock (the catalog's time zone), not the phone's.
 */
import { signal } from '@preact/signals';
import { lang, localeOf, t } from './i18n.js';

/** The venue's time zone, from the catalog (Asia/Riyadh until it answers). */
export const venueTimeZone = signal('Asia/Riyadh');

/** An amount in halalas as SAR, e.g. "SAR 120.00" or "‏١٢٠٫٠٠ ر.س.‏". */
export function money(halalas: number): string {
  return new Intl.NumberFormat(localeOf(lang.value), { style: 'currency', currency: 'SAR' }).format(halalas / 100);
}

/** A venue-local time of day, e.g. "10:00". */
export function timeOfDay(epochMs: number): string {
  return new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: venueTimeZone.value, hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** A venue-local date and time, e.g. "Sat 5 Dec, 10:00". */
export function dateTime(epochMs: number): string {
  return new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: venueTimeZone.value, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** A venue day (`yyyy-mm-dd`) as a short label, e.g. "Sat 5 Dec". */
export function dayLabel(day: string): string {
  // Noon UTC of that calendar day, shown in UTC: the label is the day itself, whatever the zone.
  const at = Date.parse(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(at);
}

/** The venue-local day `days` after now, `yyyy-mm-dd`. */
export function venueDay(days: number, now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: venueTimeZone.value, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now + days * 86_400_000);
}

/** Time left as "14:59" under an hour, "23 h 59 min" above. */
export function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const digits = new Intl.NumberFormat(localeOf(lang.value), { minimumIntegerDigits: 2, useGrouping: false });
  if (seconds >= 3600) {
    return t('time.hoursMinutes', { h: Math.floor(seconds / 3600), m: Math.floor((seconds % 3600) / 60) });
  }
  return t('time.minutesSeconds', { m: digits.format(Math.floor(seconds / 60)), s: digits.format(seconds % 60) });
}
