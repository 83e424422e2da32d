/**
 * The gates module: ticket and band scans at the gates (entry, exit, re-entry), the offline bundle
 * a gate downloads to keep admitting while the hub is unreachable, and the upload of the scans it
 * queued meanwhile. Its services are built on the ticket verifier (and, for bundles, the public
 * ticket keys, the catalog's slots and the venue's time zone) in the runtime's wiring, and on the
 * actor host, the capacity ledger, the wristbands and the rented equipment of the modules before it
 * (reached through the module context). Unwired, every scan is refused; without the wiring's
 * `offline` part bundles and uploads are refused.
 */
import { equipmentRuntime } from '../equipment/equipment.module.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { wristbandsRuntime } from '../wristbands/wristbands.module.js';
import type { TicketTokens } from '../tickets/ticket-token.js';
import type { OfflineBundleDeps, OfflineBundles } from './offline-bundle.js';
import { createOfflineBundles } from './offline-bundle.js';
import type { OfflineSync } from './offline-sync.js';
import { createOfflineSync } from './offline-sync.js';
import type { ScanService } from './scan-service.js';
import { createScanService } from './scan-service.js';

/** What the gates' routes answer with; each part absent when not wired (its events are refused). */
export interface GateServices {
  readonly scans?: ScanService;
  readonly bundles?: OfflineBundles;
  readonly sync?: OfflineSync;
}

/** What the gates verify scans with, and what an offline gate's bundle carries besides the tickets. */
export interface GatesWiring {
  /** Verifies ticket QR payloads (the ticket key ring). */
  tickets: Pick<TicketTokens, 'verify' | 'verifyNow'>;
  /** The visitor's display name for admitted verdicts; none shown without it. */
  visitorName?: (visitorId: string) => Promise<string | undefined>;
  /** The public ticket keys, their issuer, the catalog's slots and the venue's time zone; without it bundles and uploads are refused. */
  offline?: Omit<OfflineBundleDeps, 'host' | 'ledger' | 'clock'>;
}

export const gatesRuntime: RuntimeModule<GateServices, GatesWiring> = {
  name: 'gates',
  start(ctx) {
    const { wiring } = ctx;
    if (wiring === undefined) return { service: {} };
    const bands = ctx.service(wristbandsRuntime);
    const equipment = ctx.service(equipmentRuntime);
    const scans = createScanService({
      host: ctx.host,
      tickets: wiring.tickets,
      bands,
      rentals: {
        unreturned: async (bookingId) => {
          const out = await equipment.unreturned(bookingId);
          return out.ok ? out.data : [];
        },
      },
      ...(wiring.visitorName === undefined ? {} : { visitorName: wiring.visitorName }),
      clock: ctx.clock,
      log: ctx.log.child({ part: 'gates' }),
    });
    if (wiring.offline === undefined) return { service: { scans } };
    // An offline gate downloads a bundle, then uploads what it queued: both or neither. An upload the
    // hub refuses raises a floor alert, kept (open on the dashboard until resolved) and pushed.
    const bundles = createOfflineBundles({ ...wiring.offline, ...(wiring.visitorName === undefined ? {} : { visitorName: wiring.visitorName }), host: ctx.host, ledger: ctx.ledger, clock: ctx.clock });
    const sync = createOfflineSync({ host: ctx.host, tickets: wiring.tickets, bands, alert: (a) => ctx.alert(a), clock: ctx.clock, log: ctx.log.child({ part: 'offline-gates' }) });
    return { service: { scans, bundles, sync } };
  },
};
