/**
 * The notifications module on a node: the node's channels (email, SMS, Web Push) and their store,
 * the contacts of the account store, links under the public address, times in the venue's zone.
 */
import { createStoreContactDirectory } from '../../../workers/accounts/store-contact-directory.js';
import { notificationsRuntime } from '../../../workers/notifications/notifications.module.js';
import { linksUnder } from '../../../workers/notifications/templates.js';
import { accountsModule } from '../accounts/index.js';
import { nodePartOf } from '../node-part.js';

export const notificationsNode = nodePartOf(notificationsRuntime, {
  async open({ config, messaging, publicUrl, lent }) {
    const { channels } = messaging;
    return {
      wiring: {
        store: messaging.store,
        contacts: createStoreContactDirectory(lent(accountsModule).store),
        email: channels.email,
        sms: channels.sms,
        push: channels.push,
        links: linksUnder(publicUrl),
        timeZone: config.VENUE_TIME_ZONE,
      },
      lends: undefined,
    };
  },
});
