/**
 * The gates module on a node: scans verified with the tickets module's signer, the visitor's name
 * from the account store, and offline bundles of the catalog's slots with the public ticket keys.
 */
import { gatesRuntime } from '../../../workers/gates/gates.module.js';
import { accountsModule } from '../accounts/index.js';
import { catalogModule } from '../catalog/index.js';
import { nodePartOf } from '../node-part.js';
import { ticketsModule } from '../tickets/index.js';

export const gatesNode = nodePartOf(gatesRuntime, {
  async open({ config, lent }) {
    const tickets = lent(ticketsModule);
    const accounts = lent(accountsModule).store;
    return {
      wiring: {
        tickets: tickets.tokens,
        visitorName: async (visitorId) => (await accounts.users.get(visitorId))?.name,
        offline: { slots: lent(catalogModule).store.slots, jwks: () => tickets.keys.publicJwks(), issuer: config.TOKEN_ISSUER, timeZone: config.VENUE_TIME_ZONE },
      },
      lends: undefined,
    };
  },
});
