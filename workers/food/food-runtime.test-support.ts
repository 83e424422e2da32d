/**
 * The actor runtime as a `main` wires it for food, on temp SQLite files with real agenda jobs, the
 * demo menu in the catalog store, the read side (the kitchen feed), notifications with a real HTTPS push
 * service, and a clock the test moves. The clock sits in 2030, after the real time, so agenda never
 * fires a timer early: only the sweeper does, by this clock, when it is due.
 *
 * `restart()` stops the runtime and starts a new one on the same files (a node restart).
 */
import { join } from 'node:path';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import { FOOD_PREORDER_ADDON } from '../../machines/booking.schemas.js';
import { createChangeBus } from '../actors/change-bus.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { catalogRuntime } from '../catalog/catalog.module.js';
import type { ChangeNotice } from '../actors/change-bus.js';
import type { CatalogStore } from '../catalog/catalog-store.js';
import { openSqliteCatalogStore } from '../catalog/sqlite-catalog-store.js';
import { silentLogger } from '../logger.js';
import { wire } from '../modules/runtime-module.js';
import { createNotificationChannels } from '../notifications/channels.js';
import type { NotificationChannels } from '../notifications/channels.js';
import type { NotificationStore } from '../notifications/notification-store.js';
import { contactOf, createMapContactDirectory, type PushServiceStub } from '../notifications/notifications.test-support.js';
import { subscribePush } from '../notifications/push-registry.js';
import { openSqliteNotificationStore } from '../notifications/sqlite-notification-store.js';
import { notificationsRuntime } from '../notifications/notifications.module.js';
import { linksUnder } from '../notifications/templates.js';
import { paymentsRuntime } from '../payments/payments.module.js';
import { openSqliteReadModels } from '../projections/sqlite-read-models.js';
import { startRuntime } from '../runtime.js';
import type { Runtime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { DEMO_MENU_CATEGORIES, DEMO_MENU_ITEMS } from './demo-menu.js';
import type { FoodModuleService } from './food.module.js';
import { foodRuntime } from './food.module.js';

/** Friday 14 June 2030, 12:00 in Riyadh (09:00 UTC): lunch is served. */
export const FRIDAY_NOON = Date.UTC(2030, 5, 14, 9, 0);
export const MIN = 60_000;
export const TZ = 'Asia/Riyadh';
/** The slot every booking here is for: 13:00–15:00 venue time that Friday. */
export const SLOT_ID = 'wave-pool-2030-06-14-1300';
export const SLOT_START = FRIDAY_NOON + 60 * MIN;
/** How long an order during the visit waits for its payment here. */
export const PAY_WITHIN = 15 * MIN;

export interface FoodRuntime {
  rt: Runtime;
  /** The store the current runtime was started on (the runtime hands it to nobody). */
  store: ActorStore;
  food: FoodModuleService;
  now: { value: number };
  notifications: NotificationStore;
  alerts: Array<{ userId: string; alert: NotificationAlert }>;
  /** Every change committed on this runtime, in order. */
  changes: ChangeNotice[];
  /** Resolves with the first change (past or future) that matches. */
  changeOf(match: (c: ChangeNotice) => boolean, what: string): Promise<ChangeNotice>;
  /** Holds `qty` places with a food pre-order (an order request); the booking is held, the order placed. */
  holdWithFood(bookingId: string, visitorId: string, qty: number, food: unknown): Promise<{ total: number; foodTotal: number }>;
  /** Holds `qty` places without food and pays them (the booking is confirmed). */
  book(bookingId: string, visitorId: string, qty: number): Promise<void>;
  /** Submits and captures the booking's total (the booking is confirmed). */
  pay(bookingId: string, visitorId: string, amount: number): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const TICKET_PRICE = 5_000;

/** Starts the runtime; `push` is a running push service the visitors subscribe to. */
export async function startFoodRuntime(dir: string, push: PushServiceStub): Promise<FoodRuntime> {
  const file = join(dir, 'venue-hub.db');
  const now = { value: FRIDAY_NOON };
  const clock = () => now.value;
  const notifications = openSqliteNotificationStore({ file });
  const catalogStore: CatalogStore = openSqliteCatalogStore({ file: join(dir, 'catalog.db') });
  for (const category of DEMO_MENU_CATEGORIES) await catalogStore.items.insert('menu_category', category, FRIDAY_NOON);
  for (const item of DEMO_MENU_ITEMS) await catalogStore.items.insert('menu_item', item, FRIDAY_NOON);
  // The slot in the catalog too: an order during the visit checks the visit's day against it.
  await catalogStore.slots.insertMissing([{ slotId: SLOT_ID, activityId: 'wave-pool', scheduleId: 'daily', date: '2030-06-14', startTime: '13:00', startsAt: SLOT_START, endsAt: SLOT_START + 120 * MIN, capacity: 50 }]);
  const contacts = createMapContactDirectory();
  const channels: NotificationChannels = await createNotificationChannels({
    dataDir: dir,
    store: notifications,
    mailFrom: 'Venue Hub <no-reply@venue.test>',
    vapidSubject: 'mailto:ops@venue.test',
    pushAgent: push.agent,
    clock,
    log: silentLogger,
  });
  const alerts: FoodRuntime['alerts'] = [];
  const changes: ChangeNotice[] = [];
  const waiters = new Set<{ match: (c: ChangeNotice) => boolean; resolve: (c: ChangeNotice) => void }>();

  const start = async () => {
    const bus = createChangeBus();
    bus.subscribe((notice) => {
      changes.push(notice);
      for (const w of waiters) {
        if (!w.match(notice)) continue;
        waiters.delete(w);
        w.resolve(notice);
      }
    });
    const store = openSqliteActorStore({ file });
    const rt = await startRuntime({
      store,
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      clock,
      bus,
      timerPollMs: 50,
      modules: [catalogRuntime, bookingsRuntime, ticketsRuntime, notificationsRuntime, paymentsRuntime, foodRuntime],
      readSide: { readModels: openSqliteReadModels({ file }), timeZone: TZ },
      wiring: [
        wire(bookingsRuntime, { timings: { holdMs: 600_000, reviewMs: 600_000, paymentMs: 600_000 } }),
        wire(notificationsRuntime, { store: notifications, contacts, email: channels.email, sms: channels.sms, push: channels.push, inApp: (userId, alert) => void alerts.push({ userId, alert }), links: linksUnder('https://hub.venue.test'), timeZone: TZ }),
        wire(foodRuntime, { menuStore: catalogStore, slots: catalogStore.slots, timeZone: TZ, settings: { pickupPoint: 'Palm Café counter', kitchenRefundPercent: 50, payWithinMs: PAY_WITHIN } }),
      ],
    });
    await store.ledger.defineSlot(SLOT_ID, 50);
    return { rt, store };
  };

  let { rt, store } = await start();
  const h: FoodRuntime = {
    get rt() {
      return rt;
    },
    get store() {
      return store;
    },
    get food() {
      return rt.service(foodRuntime);
    },
    now,
    notifications,
    alerts,
    changes,
    changeOf(match, what) {
      const found = changes.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (c: ChangeNotice) => (clearTimeout(timer), resolve(c)) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error(`no change: ${what}`))), 20_000);
        waiters.add(waiter);
      });
    },
    async holdWithFood(bookingId, visitorId, qty, request) {
      contacts.set(contactOf(visitorId, { phone: '+966500000001', preferences: { email: false, sms: true, push: true, in_app: true } }));
      await subscribePush(notifications.pushSubscriptions, visitorId, push.subscribe(visitorId).subscription, { at: now.value, allowedHosts: ['127.0.0.1'] });
      const priced = await rt.service(foodRuntime).menu?.priceOrder(request, SLOT_START);
      if (!priced?.ok) throw new Error(`menu refused the food: ${JSON.stringify(priced)}`);
      const foodTotal = priced.data.lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0);
      const lines = [{ ticketTypeId: 'adult', qty, unitPrice: TICKET_PRICE }];
      const addOns = [{ addOnId: FOOD_PREORDER_ADDON, kind: 'food' as const, qty: 1, unitPrice: foodTotal }];
      const held = await rt.bookings.hold({ bookingId, visitorId, slotId: SLOT_ID, lines, addOns, requiresApproval: false }, visitorId);
      if (!held.ok) throw new Error(`hold failed: ${held.code} ${held.message}`);
      const placed = await rt.service(foodRuntime).placePreOrder(visitorId, bookingId, request, SLOT_START);
      if (!placed.ok) throw new Error(`pre-order refused: ${placed.code} ${placed.message}`);
      return { total: qty * TICKET_PRICE + foodTotal, foodTotal };
    },
    async book(bookingId, visitorId, qty) {
      const held = await rt.bookings.hold({ bookingId, visitorId, slotId: SLOT_ID, lines: [{ ticketTypeId: 'adult', qty, unitPrice: TICKET_PRICE }], requiresApproval: false }, visitorId);
      if (!held.ok) throw new Error(`hold failed: ${held.code} ${held.message}`);
      await h.pay(bookingId, visitorId, qty * TICKET_PRICE);
    },
    async pay(bookingId, visitorId, amount) {
      await rt.host.send('booking', bookingId, { type: 'booking.submit' }, { who: visitorId });
      const paid = await rt.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay_${bookingId}`, amount }, { who: 'gateway', eventId: `evt_${bookingId}` });
      if (!paid.ok || paid.data.state !== 'confirmed') throw new Error(`capture did not confirm: ${JSON.stringify(paid)}`);
    },
    async restart() {
      await rt.stop();
      ({ rt, store } = await start());
    },
    async stop() {
      await rt.stop();
      channels.close();
      await notifications.close();
      await catalogStore.close();
    },
  };
  return h;
}
