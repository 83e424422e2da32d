/**
 * The actor runtime as a `main` wires it for tickets and notifications, on a temp SQLite file with
 * real agenda jobs: ticket keys, slot windows, a contact directory, the notification store and
 * channels (SMTP when a URL is given, else the local mailbox), and in-app alerts collected.
 */
import { join } from 'node:path';
import type { Agent } from 'node:https';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import { bookingsRuntime } from '../bookings/bookings.module.js';
import { silentLogger } from '../logger.js';
import { wire } from '../modules/runtime-module.js';
import { startRuntime } from '../runtime.js';
import type { Runtime } from '../runtime.js';
import type { ActorStore } from '../store/actor-store.js';
import { openSqliteActorStore } from '../store/sqlite-actor-store.js';
import { createTicketTokens } from '../tickets/ticket-token.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
import { createMapSlotWindows, createTestTicketKeys } from '../tickets/tickets.test-support.js';
import type { TestTicketKeys } from '../tickets/tickets.test-support.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import { createSqliteAgendaBackend } from '../timers/sqlite-job-repository.js';
import { createNotificationChannels } from './channels.js';
import type { NotificationChannels } from './channels.js';
import type { NotificationStore } from './notification-store.js';
import { notificationsRuntime } from './notifications.module.js';
import { createMapContactDirectory } from './notifications.test-support.js';
import { openSqliteNotificationStore } from './sqlite-notification-store.js';
import { linksUnder } from './templates.js';

/** Slot `slot_1` runs 10:00–12:00 UTC on 1 June 2030. */
export const SLOT_START = Date.UTC(2030, 5, 1, 10, 0, 0);
export const SLOT_END = SLOT_START + 2 * 3_600_000;
/** The issuer ticket tokens are signed as. */
export const ISSUER = 'venue-hub';
/** The base of links in messages. */
export const PUBLIC_URL = 'https://hub.venue.test';

/** One in-app alert as the hub would have emitted it. */
export interface DeliveredAlert {
  userId: string;
  alert: NotificationAlert;
}

/** The started runtime with everything tests reach into. */
export interface NotifyRuntime {
  rt: Runtime;
  /** The actor store the runtime was started on (the runtime hands it to nobody). */
  actors: ActorStore;
  store: NotificationStore;
  contacts: ReturnType<typeof createMapContactDirectory>;
  slots: ReturnType<typeof createMapSlotWindows>;
  keys: TestTicketKeys;
  tokens: TicketTokens;
  channels: NotificationChannels;
  alerts: DeliveredAlert[];
  /** Holds `qty` adult places on slot_1, submits and pays: the booking ends confirmed. */
  confirm(bookingId: string, visitorId: string, qty: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the runtime with tickets and notifications wired as a main would. */
export async function startNotifyRuntime(options: {
  dir: string;
  smtpUrl?: string;
  pushAgent?: Agent;
  relay?: boolean;
  /** Tickets only: notify effects stay in the outbox. */
  notifications?: boolean;
}): Promise<NotifyRuntime> {
  const file = join(options.dir, 'venue-hub.db');
  const store = openSqliteNotificationStore({ file });
  const keys = await createTestTicketKeys();
  const tokens = createTicketTokens({ keys, issuer: ISSUER });
  const slots = createMapSlotWindows({ slot_1: { startsAt: SLOT_START, endsAt: SLOT_END, label: 'Wave pool' } });
  const contacts = createMapContactDirectory();
  const alerts: DeliveredAlert[] = [];
  const channels = await createNotificationChannels({
    dataDir: options.dir,
    store,
    smtpUrl: options.smtpUrl,
    mailFrom: 'Venue Hub <no-reply@venue.test>',
    vapidSubject: 'mailto:ops@venue.test',
    pushAgent: options.pushAgent,
    clock: Date.now,
    log: silentLogger,
  });
  const actors = openSqliteActorStore({ file });
  const rt = await startRuntime({
    store: actors,
    jobsBackend: createSqliteAgendaBackend({ file }),
    log: silentLogger,
    timerPollMs: 50,
    modules: [bookingsRuntime, ticketsRuntime, notificationsRuntime],
    relay: options.relay ?? true,
    wiring: [
      wire(bookingsRuntime, { timings: { holdMs: 600_000, reviewMs: 600_000, paymentMs: 600_000 } }),
      wire(ticketsRuntime, { slots, tokens }),
      ...(options.notifications === false
        ? []
        : [
            wire(notificationsRuntime, {
              store,
              contacts,
              email: channels.email,
              sms: channels.sms,
              push: channels.push,
              inApp: (userId, alert) => void alerts.push({ userId, alert }),
              links: linksUnder(PUBLIC_URL),
            }),
          ]),
    ],
  });
  await actors.ledger.defineSlot('slot_1', 50);

  return {
    rt,
    actors,
    store,
    contacts,
    slots,
    keys,
    tokens,
    channels,
    alerts,
    async confirm(bookingId, visitorId, qty) {
      const lines = [{ ticketTypeId: 'adult', qty, unitPrice: 5_000 }];
      const held = await rt.bookings.hold({ bookingId, visitorId, slotId: 'slot_1', lines, requiresApproval: false }, visitorId);
      if (!held.ok) throw new Error(`hold failed: ${held.code}`);
      await rt.host.send('booking', bookingId, { type: 'booking.submit' }, { who: visitorId });
      const paid = await rt.host.send('booking', bookingId, { type: 'payment.captured', paymentId: `pay_${bookingId}`, amount: qty * 5_000 }, { who: 'gateway', eventId: `evt_${bookingId}` });
      if (!paid.ok || paid.data.state !== 'confirmed') throw new Error(`capture did not confirm: ${JSON.stringify(paid)}`);
    },
    async stop() {
      await rt.stop();
      channels.close();
      await store.close();
    },
  };
}
