/**
 * Tickets: issuing signed QR tickets for confirmed bookings, the public keys gates verify them
 * with, a visitor's tickets and QR images, Web Push subscriptions and the local mailbox page.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { TicketService } from '../../../workers/tickets/ticket-service.js';
import { ticketsRuntime } from '../../../workers/tickets/tickets.module.js';
import { visitorRoutes } from '../../api/visitor-routes.js';
import { jsonAnswer } from '../../http/routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { VenueModule } from '../venue-module.js';

export const ticketsModule: VenueModule<TicketService | undefined> = {
  ...ticketsRuntime,
  policy: policyRows('booking.read'),
  http({ node, runtime, authenticate }) {
    if (node === undefined) return [];
    const { services } = node;
    return [
      // Gates (and anyone checking a ticket) verify QR tokens with these public keys.
      { method: 'GET', pattern: '/.well-known/ticket-jwks.json', handler: async () => jsonAnswer(200, services.ticketKeys.publicJwks()) },
      ...(runtime.tickets === undefined
        ? []
        : visitorRoutes({
            authenticate,
            host: runtime.host,
            tickets: runtime.tickets,
            notifications: services.notificationStore,
            vapidPublicKey: services.channels.vapidPublicKey,
            mailboxPage: node.mailboxPage,
            ...(node.pushHosts === undefined ? {} : { pushHosts: node.pushHosts }),
            ...(node.webDir === undefined ? {} : { appPage: pageFrom(join(node.webDir, 'index.html')) }),
            clock: Date.now,
          })),
    ];
  },
};

/** Reads a page on every request (a rebuild renames its assets), null when the file is missing. */
function pageFrom(file: string): () => Promise<string | null> {
  return () => readFile(file, 'utf8').catch(() => null);
}
