/**
 * The contact directory the notification service reads, over the accounts store. Only verified
 * addresses are given out: an unverified one may belong to someone else (anyone can type any
 * address at sign-up), and messages about bookings must not reach them.
 */
import type { AccountStore } from './account-store.js';
import type { ContactDirectory } from './contact-directory.js';

/** Creates the contact directory. Suspended accounts get no notifications. */
export function createStoreContactDirectory(store: Pick<AccountStore, 'users'>): ContactDirectory {
  return {
    async contact(userId) {
      const user = await store.users.get(userId);
      if (!user || user.status !== 'active') return null;
      return {
        userId: user.userId,
        name: user.name,
        email: user.emailVerified ? user.email : null,
        phone: user.phoneVerified ? user.phone : null,
        preferences: { ...user.preferences },
        language: user.language,
        pushSubscriptions: user.pushSubscriptions.map((s) => ({ endpoint: s.endpoint, keys: { ...s.keys } })),
      };
    },
  };
}
