/**
 * What a `main` (or a test) hands the venue's modules when the runtime starts: deadlines and caps
 * for bookings, ticket keys, notification channels, the payment gateway, floor settings. Each part
 * is optional where the module can run without it (its effects then wait in the outbox).
 */
import type { FloorAlert } from '../../machines/contract/floor-alert.js';
import type { AccountServiceDeps } from '../accounts/account-service.js';
import type { BookingTimings, HoldLimits } from '../bookings/booking-service.js';
import type { NotificationWiring } from '../notifications/notification-service.js';
import type { PaymentsWiring } from '../payments/payments.js';
import type { CatalogServiceDeps } from '../catalog/catalog-service.js';
import type { CatalogStore, SlotRepository } from '../catalog/catalog-store.js';
import type { FoodSettings } from '../food/food-order-service.js';
import type { OfflineBundleDeps } from '../gates/offline-bundle.js';
import type { TicketWiring } from '../tickets/ticket-service.js';
import type { TicketTokens } from '../tickets/ticket-token.js';

/** Venue floor settings. */
export interface FloorWiring {
  /** How long after the last member's exit the visit closes; default 15 minutes. */
  checkoutGraceMs?: number;
  /** How long a rental lasts before it is overdue; default 4 hours. */
  rentalMs?: number;
  /**
   * Also told of every staff alert (double entries, overdue rentals, lockers held at closing) after
   * it is kept and published to the dashboard; without it each is logged.
   */
  alert?: (alert: FloorAlert) => void;
  /** Also told when a locker accepted a band, after `locker:unlock` is published to its zone's locker banks. */
  unlock?: (unlock: { lockerId: string; bandUid: string; at: number; zone: string }) => void;
}

/** The menu (catalog kinds menu_category, menu_item) and the food service's settings. */
export interface FoodWiring {
  menuStore: Pick<CatalogStore, 'items'>;
  /** The catalog's slots: an order during a visit is taken on its booking's day only. Without them, such orders are refused. */
  slots?: Pick<SlotRepository, 'get'>;
  /** The venue's IANA time zone: availability windows and pickup times are local to it. */
  timeZone: string;
  settings: FoodSettings;
}

/** The account store, secret hasher, code sender and limits of the accounts service (audit and revocations are the actor store's). */
export type AccountsWiring = Omit<AccountServiceDeps, 'access' | 'log'>;

/** The catalog store and the venue's time zone and slot horizon (the ledger and audit are the actor store's). */
export type CatalogWiring = Omit<CatalogServiceDeps, 'ledger' | 'audit' | 'log'>;

/** What the gates verify scans with, and what an offline gate's bundle carries besides the tickets. */
export interface GatesWiring {
  /** Verifies ticket QR payloads (the ticket key ring). */
  tickets: Pick<TicketTokens, 'verify' | 'verifyNow'>;
  /** The visitor's display name for admitted verdicts; none shown without it. */
  visitorName?: (visitorId: string) => Promise<string | undefined>;
  /** The public ticket keys, their issuer, the catalog's slots and the venue's time zone; without it bundles and uploads are refused. */
  offline?: Omit<OfflineBundleDeps, 'host' | 'ledger' | 'clock'>;
}

/** The venue's settings and integrations, as the runtime's modules read them. */
export interface VenueWiring {
  /** The accounts service's store and settings; without it the accounts module runs no service. */
  accounts?: AccountsWiring;
  /** The catalog service's store and settings; without it the catalog module runs no service. */
  catalog?: CatalogWiring;
  timings: BookingTimings;
  /** Caps on a visitor's unpaid held places (HOLD_MAX_PLACES_PER_SLOT, HOLD_MAX_PLACES); none when omitted. */
  holdLimits?: HoldLimits;
  /** How old a hold without a booking must be before it is given back. */
  orphanHoldMs?: number;
  /** Ticket issuing (slot windows, ticket signer); without it tickets.* effects wait in the outbox. */
  tickets?: TicketWiring;
  /** Notification channels and contacts; without it notify effects wait in the outbox. */
  notifications?: NotificationWiring;
  /** Gateway, payment records and return URL; without it payment and refund effects wait in the outbox. */
  payments?: PaymentsWiring;
  /** Venue floor settings (check-out grace, rental length) and where staff alerts go. */
  floor?: FloorWiring;
  /** Scan verification and offline bundles; without it the gates refuse every scan. */
  gates?: GatesWiring;
  /** The menu and food settings; without it the food module runs no menu (orders are refused). */
  food?: FoodWiring;
}
