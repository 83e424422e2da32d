/**
 * The accounts and catalog services of a test hub, real and on the hub's SQLite file: a tiny
 * catalog (one activity, three ticket types, one add-on, slots on a far-future day so they never
 * start during a test) and an accounts service whose one-time codes are captured instead of sent.
 *
 *   test-pool  ─ test-adult  50 SAR, 1–10 a booking
 *              ─ test-child  30 SAR, 1–10 a booking
 *              ─ test-vip   200 SAR, needs approval, up to 2
 *   slots      TEST_SLOT (and any other `test-pool-2099-01-01-hhmm` given), capacity as given
 */
import type { PersonRole } from '../machines/contract/wire.js';
import { createAccountService } from '../workers/accounts/account-service.js';
import type { AccountService } from '../workers/accounts/account-service.js';
import { DEFAULT_PREFERENCES } from '../workers/accounts/account-store.js';
import type { AccountStore, OtpChannel } from '../workers/accounts/account-store.js';
import type { AccountLimits, OtpMessage } from '../workers/accounts/otp-challenges.js';
import { createSecretHasher } from '../workers/accounts/secrets.js';
import { openSqliteAccountStore } from '../workers/accounts/sqlite-account-store.js';
import { createCatalogService } from '../workers/catalog/catalog-service.js';
import type { CatalogSeed, CatalogService } from '../workers/catalog/catalog-service.js';
import type { CatalogStore } from '../workers/catalog/catalog-store.js';
import { openSqliteCatalogStore } from '../workers/catalog/sqlite-catalog-store.js';
import { zonedTime } from '../workers/catalog/venue-time.js';
import { silentLogger } from '../workers/logger.js';
import type { ActorStore } from '../workers/store/actor-store.js';

/** The test venue's activity, day and default slot. */
export const TEST_ACTIVITY = 'test-pool';
export const TEST_DATE = '2099-01-01';
export const TEST_SLOT = `${TEST_ACTIVITY}-${TEST_DATE}-1000`;
/** Ticket types of the test venue with their catalog prices (halalas). */
export const TEST_TICKETS = {
  adult: { ticketTypeId: 'test-adult', price: 5_000 },
  child: { ticketTypeId: 'test-child', price: 3_000 },
  vip: { ticketTypeId: 'test-vip', price: 20_000 },
} as const;
const TIME_ZONE = 'Asia/Riyadh';

const ticket = (ticketTypeId: string, price: number, extra: { requiresApproval?: boolean; maxPerBooking?: number } = {}) => ({
  ticketTypeId,
  activityId: TEST_ACTIVITY,
  name: ticketTypeId,
  price,
  requiresApproval: extra.requiresApproval ?? false,
  reentry: true,
  minPerBooking: 1,
  maxPerBooking: extra.maxPerBooking ?? 10,
  admits: 1,
  active: true,
});

/** The test catalog. */
export const TEST_CATALOG: CatalogSeed = {
  activity: [{ activityId: TEST_ACTIVITY, name: 'Test Pool', description: '', zone: 'test', active: true }],
  ticket_type: [
    ticket(TEST_TICKETS.adult.ticketTypeId, TEST_TICKETS.adult.price),
    ticket(TEST_TICKETS.child.ticketTypeId, TEST_TICKETS.child.price),
    ticket(TEST_TICKETS.vip.ticketTypeId, TEST_TICKETS.vip.price, { requiresApproval: true, maxPerBooking: 2 }),
  ],
  add_on: [{ addOnId: 'test-locker', kind: 'locker', name: 'Locker', description: '', price: 2_500, active: true }],
};

/** One captured one-time code. */
export interface SentCode {
  channel: OtpChannel;
  to: string;
  message: OtpMessage;
}

/** The services and what they captured. */
export interface TestServices {
  readonly accounts: AccountService;
  readonly accountStore: AccountStore;
  readonly catalog: CatalogService;
  readonly catalogStore: CatalogStore;
  /** Every code the accounts service sent, oldest first. */
  readonly sent: SentCode[];
  /**
   * The latest code sent to `address`, waiting up to 2 s for the background send; with a
   * `verificationId`, the code of that verification (emails carry it in their link).
   */
  codeFor(address: string, verificationId?: string): Promise<SentCode>;
  /** Creates a verified, active account with this id and role unless it exists. */
  ensurePerson(userId: string, role: PersonRole): Promise<void>;
  close(): Promise<void>;
}

/** What opening the services needs. */
export interface TestServicesOptions {
  file: string;
  actors: Pick<ActorStore, 'ledger' | 'audit' | 'revocations'>;
  /** Slot id (`test-pool-yyyy-mm-dd-hhmm`) → capacity; defined in the ledger on every open. */
  slots: Record<string, number>;
  accountLimits?: Partial<AccountLimits>;
}

/** Opens the accounts and catalog services on the test hub's file and seeds the test venue. */
export async function openTestServices(options: TestServicesOptions): Promise<TestServices> {
  const { file, actors } = options;
  const accountStore = openSqliteAccountStore({ file });
  const catalogStore = openSqliteCatalogStore({ file });
  const catalog = createCatalogService({ store: catalogStore, ledger: actors.ledger, audit: actors.audit, timeZone: TIME_ZONE, log: silentLogger });
  await catalog.seed(TEST_CATALOG);
  await catalogStore.slots.insertMissing(Object.entries(options.slots).map(([slotId, capacity]) => testSlot(slotId, capacity)));
  for (const [slotId, capacity] of Object.entries(options.slots)) await actors.ledger.defineSlot(slotId, capacity);

  const sent: SentCode[] = [];
  const accounts = createAccountService({
    store: accountStore,
    access: actors,
    // A fixed pepper: test hubs sharing one directory must read each other's hashes.
    hasher: createSecretHasher(Buffer.alloc(32, 7)),
    sendOtp: async (channel, to, message) => void sent.push({ channel, to, message }),
    ...(options.accountLimits === undefined ? {} : { limits: options.accountLimits }),
    linkBase: 'http://venue.test/verify',
    log: silentLogger,
  });

  return {
    accounts,
    accountStore,
    catalog,
    catalogStore,
    sent,
    async codeFor(address, verificationId) {
      const deadline = Date.now() + 2_000;
      const wanted = (s: SentCode) => s.to === address && (verificationId === undefined || (s.message.link ?? '').includes(`v=${verificationId}&`));
      for (;;) {
        const found = sent.filter(wanted).at(-1);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no code was sent to ${address}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async ensurePerson(userId, role) {
      if (await accountStore.users.get(userId)) return;
      const at = Date.now();
      const email = `${userId.toLowerCase()}@people.venue.test`;
      await accountStore.users.create({
        userId, name: userId, email, phone: null, emailVerified: true, phoneVerified: false, role, status: 'active',
        preferences: { ...DEFAULT_PREFERENCES }, language: 'en', pushSubscriptions: [], createdAt: at, updatedAt: at,
      });
    },
    async close() {
      await accountStore.close();
      await catalogStore.close();
    },
  };
}

/** The slot record of a `test-pool-yyyy-mm-dd-hhmm` id, one hour long. */
function testSlot(slotId: string, capacity: number) {
  const match = /^(.+)-(\d{4}-\d{2}-\d{2})-(\d{2})(\d{2})$/.exec(slotId);
  if (!match || match[1] !== TEST_ACTIVITY) throw new Error(`test slots are ${TEST_ACTIVITY}-yyyy-mm-dd-hhmm, not ${slotId}`);
  const [, activityId = TEST_ACTIVITY, date = TEST_DATE, hh = '10', mm = '00'] = match;
  const startsAt = zonedTime(date, `${hh}:${mm}`, TIME_ZONE);
  return { slotId, activityId, scheduleId: 'test-schedule', date, startTime: `${hh}:${mm}`, startsAt, endsAt: startsAt + 3_600_000, capacity };
}
