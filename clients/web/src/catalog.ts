/** The venue's catalog (activities with ticket types, add-ons), loaded once per page load. */
import { signal } from '@preact/signals';
import type { CatalogActivity, CatalogAddOn, CatalogTranslations } from '../../sdk/index.js';
import { venueTimeZone } from './format.js';
import { lang } from './i18n.js';
import { keep, kept } from './kept.js';
import { refusalText } from './refusals.js';
import { api } from './session.js';

interface KeptCatalog {
  timeZone: string;
  activities: CatalogActivity[];
  addOns: CatalogAddOn[];
}
// The last catalog seen, so names show offline (tickets at a gate without signal).
const keptCatalog = kept<KeptCatalog>('catalog');
if (keptCatalog) venueTimeZone.value = keptCatalog.timeZone;

export const activities = signal<CatalogActivity[] | null>(keptCatalog?.activities ?? null);
export const addOns = signal<CatalogAddOn[]>(keptCatalog?.addOns ?? []);
export const catalogError = signal<string | null>(null);

let loading: Promise<void> | undefined;

/** Loads the catalog unless it is loaded or loading. */
export function loadCatalog(): Promise<void> {
  loading ??= (async () => {
    const [listed, extras] = await Promise.all([api.activities(), api.addOns()]);
    if (!listed.ok) {
      catalogError.value = refusalText(listed);
      loading = undefined;
      return;
    }
    venueTimeZone.value = listed.data.timeZone;
    activities.value = listed.data.activities.filter((activity) => activity.active);
    if (extras.ok) addOns.value = extras.data.addOns.filter((addOn) => addOn.active);
    keep('catalog', { timeZone: listed.data.timeZone, activities: activities.value, addOns: addOns.value } satisfies KeptCatalog);
  })();
  return loading;
}

/** A catalog entity's name and description in the language shown (its own text when it has none). */
export function localized(entity: { name: string; description?: string; translations?: CatalogTranslations }): { name: string; description: string } {
  const other = lang.value === 'ar' ? entity.translations?.ar : undefined;
  return { name: other?.name ?? entity.name, description: other?.description ?? entity.description ?? '' };
}

/** The name of a ticket type, for labels (its id when unknown). */
export function ticketTypeName(ticketTypeId: string): string {
  for (const activity of activities.value ?? []) {
    const found = activity.ticketTypes.find((type) => type.ticketTypeId === ticketTypeId);
    if (found) return localized(found).name;
  }
  return ticketTypeId;
}

/** The name of an add-on (its id when unknown). */
export function addOnName(addOnId: string): string {
  const found = addOns.value.find((addOn) => addOn.addOnId === addOnId);
  return found ? localized(found).name : addOnId;
}

/** The name of an activity (its id when unknown). */
export function activityName(activityId: string): string {
  const found = activities.value?.find((activity) => activity.activityId === activityId);
  return found ? localized(found).name : activityId;
}
