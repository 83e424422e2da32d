/**
 * Tickets: issuing signed QR tickets for confirmed bookings, the public keys gates verify them
 * with, a visitor's tickets and QR images, Web Push subscriptions and the local mailbox page.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { TicketWiring } from '../../../workers/tickets/ticket-service.js';
import type { TicketsModuleService } from '../../../workers/tickets/tickets.module.js';
import { ticketsRuntime } from '../../../workers/tickets/tickets.module.js';
import { visitorRoutes } from '../../api/visitor-routes.js';
import { jsonAnswer } from '../../http/routes.js';
import { policyRows } from '../../policy/policy-table.js';
import type { VenueModule } from '../venue-module.js';
import type { TicketsLends } from './node.js';
import { ticketsNode } from './node.js';

export const ticketsModule: VenueModule<TicketsModuleService | undefined, TicketWiring, TicketsLends> = {
  ...ticketsRuntime,
  node: ticketsNode,
  policy: policyRows('booking.read'),
  http({ node, runtime, authenticate }) {
    if (node === undefined) return [];
    const { services } = node;
    const { keys } = services.lent(ticketsModule);
    return [
      // Gates (and anyone checking a ticket) verify QR tokens with these public keys.
      { method: 'GET', pattern: '/.well-known/ticket-jwks.json', handler: async () => jsonAnswer(200, keys.publicJwks()) },
      ...(runtime.tickets === undefined
        ? []
        : visitorRoutes({
            authenticate,
            host: runtime.host,
            tickets: runtime.tickets,
            notifications: services.messaging.store,
            vapidPublicKey: services.messaging.channels.vapidPublicKey,
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
