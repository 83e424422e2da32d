/**
 * The catalog service: what visitors browse (activities with ticket types, add-ons, slots with
 * remaining capacity), the pricing of holds, slot generation, and the admin changes.
 *
 *   ensureSlots(from, days) ─▶ schedules × venue-local dates ─▶ slots.insertMissing
 *                          ─▶ every generated slot without a ledger entry: ledger.defineSlot
 *   listSlots(activity, date) ─▶ slots.list ─▶ ledger.level per slot ─▶ remaining
 *
 * A slot's capacity is defined in the ledger only when the ledger has no entry for it, so
 * re-running generation (every start, every day) never resets a capacity an admin changed or
 * the places already taken; a crash between the two writes is repaired by the next run.
 */
import { refuse, type Result } from '../../machines/errors.js';
import type { Logger } from '../logger.js';
import type { AuditLog, CapacityLedger } from '../store/actor-store.js';
import { createCatalogAdmin, type CatalogAdmin } from './catalog-admin.js';
import { CatalogId, LocalDate, type Activity, type AddOn, type CatalogEntities, type CatalogKind, type TicketType } from './catalog-schemas.js';
import type { CatalogStore } from './catalog-store.js';
import { priceHold, type PricedHold } from './pricing.js';
import { generateSlots } from './slot-generation.js';
import { assertTimeZone, DEFAULT_VENUE_TIME_ZONE, localDate } from './venue-time.js';

/** What the catalog service needs. */
export interface CatalogServiceDeps {
  store: CatalogStore;
  ledger: Pick<CapacityLedger, 'defineSlot' | 'level'>;
  audit: AuditLog;
  clock?: () => number;
  /** IANA zone of the venue (VENUE_TIME_ZONE); default Asia/Riyadh. */
  timeZone?: string;
  /** Days of slots kept generated ahead, today included (default 7). */
  horizonDays?: number;
  log: Logger;
}

/** An activity as visitors see it: with its ticket types on sale. */
export interface ActivityView extends Activity {
  ticketTypes: TicketType[];
}

/** A slot as visitors see it. */
export interface SlotView {
  slotId: string;
  activityId: string;
  date: string;
  startTime: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  remaining: number;
  /** Not started and not sold out. */
  bookable: boolean;
}

/** What a generation run did. */
export interface EnsureReport {
  generated: number;
  inserted: number;
  /** Slots whose capacity was defined in the ledger by this run. */
  defined: number;
}

/** Entities to create if missing (the demo venue); existing ones are left as they are. */
export type CatalogSeed = { [K in CatalogKind]?: Array<CatalogEntities[K]> };

/** The catalog service. */
export interface CatalogService extends CatalogAdmin {
  readonly timeZone: string;
  listActivities(): Promise<ActivityView[]>;
  listAddOns(): Promise<AddOn[]>;
  /** The slots of an activity on a venue-local date (`yyyy-mm-dd`) with remaining capacity. */
  listSlots(activityId: unknown, date: unknown): Promise<Result<SlotView[]>>;
  /** Prices a hold from the catalog: unit prices, approval, seats and total. */
  priceHold(input: unknown): Promise<Result<PricedHold>>;
  /** Generates the slots of `days` venue-local dates from the date of `from`. */
  ensureSlots(from: number, days?: number): Promise<EnsureReport>;
  /** Inserts the seed's entities that do not exist yet; returns how many it inserted. */
  seed(seed: CatalogSeed): Promise<number>;
}

/** Creates the catalog service. */
export function createCatalogService(deps: CatalogServiceDeps): CatalogService {
  const clock = deps.clock ?? Date.now;
  const timeZone = deps.timeZone ?? DEFAULT_VENUE_TIME_ZONE;
  assertTimeZone(timeZone);
  const horizonDays = deps.horizonDays ?? 7;
  const { store, ledger } = deps;

  async function ensureSlots(from: number, days = horizonDays): Promise<EnsureReport> {
    const fromDate = localDate(from, timeZone);
    const activities = new Map((await store.items.list('activity')).map((a) => [a.activityId, a]));
    const report: EnsureReport = { generated: 0, inserted: 0, defined: 0 };
    for (const schedule of await store.items.list('schedule')) {
      if (!activities.get(schedule.activityId)?.active) continue;
      const slots = generateSlots(schedule, fromDate, days, timeZone);
      report.generated += slots.length;
      report.inserted += (await store.slots.insertMissing(slots)).length;
      for (const slot of slots) {
        if (await ledger.level(slot.slotId)) continue;
        // Two schedules yielding one slot id: the stored slot (first writer) sets the capacity.
        const stored = await store.slots.get(slot.slotId);
        await ledger.defineSlot(slot.slotId, stored?.capacity ?? slot.capacity);
        report.defined++;
      }
    }
    if (report.inserted > 0 || report.defined > 0) deps.log.info('slots generated', { from: fromDate, days, ...report });
    return report;
  }

  const admin = createCatalogAdmin({ store, audit: deps.audit, clock, scheduleSaved: async () => void (await ensureSlots(clock())) });

  return {
    ...admin,
    timeZone,

    async listActivities() {
      const [activities, types] = await Promise.all([store.items.list('activity'), store.items.list('ticket_type')]);
      return activities
        .filter((a) => a.active)
        .map((a) => ({ ...a, ticketTypes: types.filter((t) => t.activityId === a.activityId && t.active) }));
    },

    async listAddOns() {
      return (await store.items.list('add_on')).filter((a) => a.active);
    },

    async listSlots(activityId, date) {
      const id = CatalogId.safeParse(activityId);
      const day = LocalDate.safeParse(date);
      if (!id.success || !day.success) return refuse('input.invalid', 'an activity id and a date like 2025-06-01');
      const activity = await store.items.get('activity', id.data);
      if (!activity || !activity.active) return refuse('catalog.not_found', `no activity ${id.data}`);
      const now = clock();
      const views: SlotView[] = [];
      for (const slot of await store.slots.list(id.data, day.data)) {
        const level = await ledger.level(slot.slotId);
        const remaining = level?.remaining ?? 0;
        const { slotId, activityId: a, date: d, startTime, startsAt, endsAt } = slot;
        views.push({ slotId, activityId: a, date: d, startTime, startsAt, endsAt, capacity: level?.capacity ?? slot.capacity, remaining, bookable: startsAt > now && remaining > 0 });
      }
      return { ok: true, data: views };
    },

    priceHold: (input) => priceHold(store, input, clock(), timeZone),

    ensureSlots,

    async seed(seed) {
      let inserted = 0;
      const at = clock();
      // Parents first: ticket types and schedules refer to activities, menu items to categories.
      for (const kind of ['activity', 'ticket_type', 'schedule', 'add_on', 'menu_category', 'menu_item'] as const) {
        for (const item of seed[kind] ?? []) if (await store.items.insert(kind, item, at)) inserted++;
      }
      return inserted;
    },
  };
}

/** Keeps the slot horizon generated: runs `ensureSlots` now and then every `everyMs` (default hourly). */
export function keepSlotsGenerated(catalog: Pick<CatalogService, 'ensureSlots'>, clock: () => number, log: Logger, everyMs = 3_600_000): { stop(): void } {
  const run = () => {
    catalog.ensureSlots(clock()).catch((error: unknown) => log.error('slot generation failed', { error: String(error) }));
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
