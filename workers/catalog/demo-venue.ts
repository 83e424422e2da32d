/**
 * The demo venue seeded on first start of the embedded default: a water park with three
 * activities, hourly slots from 10:00 to 18:00 every day (capacity 50), ticket types priced in
 * SAR (a family pass that needs approval), add-ons (a locker and rentals) and the café's menu
 * (workers/food/demo-menu.ts), which is how visitors order food. Seeding inserts only what is
 * missing, so it is safe on every start and never undoes an admin's edits.
 */
import { DEMO_MENU_CATEGORIES, DEMO_MENU_ITEMS } from '../food/demo-menu.js';
import type { Logger } from '../logger.js';
import type { CapacityLedger } from '../store/actor-store.js';
import type { CatalogSeed, CatalogService, EnsureReport } from './catalog-service.js';
import type { Schedule } from './catalog-schemas.js';
import { generateSlots } from './slot-generation.js';
import { localDate } from './venue-time.js';

const SAR = 100;
const HOURLY = ['10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00'];
const EVERY_DAY: Schedule['days'] = { sun: HOURLY, mon: HOURLY, tue: HOURLY, wed: HOURLY, thu: HOURLY, fri: HOURLY, sat: HOURLY };
/** Days of slots the demo keeps generated: today and the next six. */
export const DEMO_DAYS = 7;

const schedule = (activityId: string): Schedule => ({
  scheduleId: `${activityId}-daily`,
  activityId,
  days: EVERY_DAY,
  durationMinutes: 60,
  capacity: 50,
  validFrom: '2024-01-01',
  validTo: null,
});

/** Arabic for visitors who chose it. */
const ar = (name: string, description?: string) => ({ translations: { ar: { name, ...(description === undefined ? {} : { description }) } } });

const ticket = (ticketTypeId: string, activityId: string, name: string, nameAr: string, sar: number, extra: Partial<{ requiresApproval: boolean; minPerBooking: number; maxPerBooking: number; admits: number; reentry: boolean }> = {}) => ({
  ticketTypeId,
  activityId,
  name,
  ...ar(nameAr),
  price: sar * SAR,
  requiresApproval: false,
  reentry: true,
  minPerBooking: 0,
  maxPerBooking: 10,
  admits: 1,
  active: true,
  ...extra,
});

/** The demo catalog. */
export const DEMO_CATALOG = {
  activity: [
    { activityId: 'wave-pool', name: 'Wave Pool', description: 'Ocean-style waves every ten minutes; lifeguards on duty.', zone: 'waterpark', active: true, ...ar('مسبح الأمواج', 'أمواج كأمواج البحر كل عشر دقائق، مع منقذين طوال الوقت.') },
    { activityId: 'lazy-river', name: 'Lazy River Tubes', description: 'A slow 400 m loop on inflatable tubes.', zone: 'waterpark', active: true, ...ar('النهر الهادئ بالعوامات', 'جولة هادئة بطول ٤٠٠ م على عوامات منفوخة.') },
    { activityId: 'kids-splash', name: 'Kids Splash Zone', description: 'Shallow pools, fountains and slides for under-12s.', zone: 'kids', active: true, ...ar('منطقة الأطفال المائية', 'برك ضحلة ونوافير وزلاجات لمن هم دون ١٢ سنة.') },
  ],
  ticket_type: [
    ticket('wave-pool-adult', 'wave-pool', 'Adult', 'بالغ', 150),
    ticket('wave-pool-child', 'wave-pool', 'Child (4–12)', 'طفل (٤–١٢)', 90),
    ticket('wave-pool-family', 'wave-pool', 'Family pass (2 adults + 2 children)', 'تذكرة عائلية (بالغان وطفلان)', 420, { requiresApproval: true, maxPerBooking: 2, admits: 4 }),
    ticket('lazy-river-adult', 'lazy-river', 'Adult', 'بالغ', 80),
    ticket('lazy-river-child', 'lazy-river', 'Child (6–12)', 'طفل (٦–١٢)', 50),
    ticket('kids-splash-child', 'kids-splash', 'Child (2–11)', 'طفل (٢–١١)', 60, { maxPerBooking: 6 }),
    ticket('kids-splash-guardian', 'kids-splash', 'Accompanying adult (single entry)', 'بالغ مرافق (دخول واحد)', 20, { maxPerBooking: 4, reentry: false }),
  ],
  schedule: [schedule('wave-pool'), schedule('lazy-river'), schedule('kids-splash')],
  add_on: [
    { addOnId: 'locker', kind: 'locker', name: 'Locker (all day)', description: 'A wristband-operated locker.', price: 25 * SAR, active: true, ...ar('خزانة (طوال اليوم)', 'خزانة تُفتح بالسوار.') },
    { addOnId: 'towel-rental', kind: 'equipment', name: 'Towel rental', description: '', price: 10 * SAR, active: true, ...ar('استئجار منشفة') },
    { addOnId: 'tube-rental', kind: 'equipment', name: 'Tube rental', description: 'A single tube for the wave pool.', price: 15 * SAR, active: true, ...ar('استئجار عوامة', 'عوامة فردية لمسبح الأمواج.') },
  ],
  menu_category: DEMO_MENU_CATEGORIES,
  menu_item: DEMO_MENU_ITEMS,
} satisfies Required<CatalogSeed>;

/** What seeding did. */
export interface DemoSeedReport extends EnsureReport {
  itemsInserted: number;
}

/** Seeds the demo catalog (if missing) and generates today's and the next six days' slots. */
export async function seedDemoCatalog(catalog: Pick<CatalogService, 'seed' | 'ensureSlots'>, log: Logger, now: number): Promise<DemoSeedReport> {
  const itemsInserted = await catalog.seed(DEMO_CATALOG);
  const slots = await catalog.ensureSlots(now, DEMO_DAYS);
  if (itemsInserted > 0 || slots.defined > 0) log.info('demo venue seeded', { items: itemsInserted, slots: slots.defined });
  return { itemsInserted, ...slots };
}

/**
 * Only the demo slots' capacities in the ledger, for a node whose catalog store is not wired
 * yet: the slot ids are the real ones, so holds placed now stay valid once it is.
 */
export async function defineDemoSlotCapacity(ledger: Pick<CapacityLedger, 'defineSlot' | 'level'>, now: number, timeZone: string): Promise<number> {
  let defined = 0;
  for (const s of DEMO_CATALOG.schedule) {
    for (const slot of generateSlots(s, localDate(now, timeZone), DEMO_DAYS, timeZone)) {
      if (await ledger.level(slot.slotId)) continue;
      await ledger.defineSlot(slot.slotId, slot.capacity);
      defined++;
    }
  }
  return defined;
}
