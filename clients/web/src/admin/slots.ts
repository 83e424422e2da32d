/** Slots as the console names them, and their live capacity from the public catalog. */
import type { CatalogSlot } from '../../../sdk/index.js';
import { activityName } from '../catalog.js';
import { dayLabel } from '../format.js';
import { lang, localeOf } from '../i18n.js';
import { api } from '../session.js';

/** The parts of a slot id `<activityId>-<yyyy-mm-dd>-<hhmm>`, or null. */
export function slotParts(slotId: string): { activityId: string; day: string; hours: number; minutes: number } | null {
  const found = /^(.*)-(\d{4}-\d{2}-\d{2})-(\d{2})(\d{2})$/.exec(slotId);
  if (!found) return null;
  const [, activityId = '', day = '', hours = '0', minutes = '0'] = found;
  return { activityId, day, hours: Number(hours), minutes: Number(minutes) };
}

/** "Wave Pool · Sat 5 Dec · 10:00". */
export function slotName(slotId: string): string {
  const parts = slotParts(slotId);
  if (!parts) return slotId;
  const time = new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(Date.UTC(2000, 0, 1, parts.hours, parts.minutes));
  return `${activityName(parts.activityId)} · ${dayLabel(parts.day)} · ${time}`;
}

/** The slots of the activity and day of `slotId` (capacity and places left, live from the ledger). */
export async function slotsOfDay(activityId: string, day: string): Promise<CatalogSlot[]> {
  const answer = await api.slots(activityId, day);
  return answer.ok ? answer.data.slots : [];
}

/** One slot's capacity and places left, or null when the catalog does not list it. */
export async function slotLevel(slotId: string): Promise<CatalogSlot | null> {
  const parts = slotParts(slotId);
  if (!parts) return null;
  return (await slotsOfDay(parts.activityId, parts.day)).find((slot) => slot.slotId === slotId) ?? null;
}
