/**
 * The tickets module on a node: the ticket key ring (TICKET_PRIVATE_KEYS, or keys kept under
 * DATA_DIR/keys), tickets signed under the token issuer, valid in the catalog's slot windows. It
 * lends the key ring and the signer (the public keys route, the gates, band links).
 */
import { catalogSlotWindows } from '../../../workers/tickets/catalog-slot-windows.js';
import type { TicketTokens } from '../../../workers/tickets/ticket-token.js';
import { createTicketTokens } from '../../../workers/tickets/ticket-token.js';
import { ticketsRuntime } from '../../../workers/tickets/tickets.module.js';
import type { KeyRing } from '../../auth/keys.js';
import { loadOrCreateKeyRing } from '../../auth/keys.js';
import { catalogModule } from '../catalog/index.js';
import { nodePartOf } from '../node-part.js';

/** What the tickets module lends. */
export interface TicketsLends {
  readonly keys: KeyRing;
  readonly tokens: TicketTokens;
}

export const ticketsNode = nodePartOf(ticketsRuntime, {
  async open({ config, lent }) {
    const keys = await loadOrCreateKeyRing({ dataDir: config.DATA_DIR, privateJwks: config.TICKET_PRIVATE_KEYS, purpose: 'ticket' });
    const tokens = createTicketTokens({ keys, issuer: config.TOKEN_ISSUER });
    return {
      wiring: { slots: catalogSlotWindows(lent(catalogModule).store), tokens },
      lends: { keys, tokens } satisfies TicketsLends,
    };
  },
});
