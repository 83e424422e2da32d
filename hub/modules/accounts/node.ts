/**
 * The accounts module on a node: the account store (the node's SQLite file or MongoDB database),
 * the secret pepper (ACCOUNT_PEPPER, or one kept under DATA_DIR/keys), one-time codes sent over the
 * node's email and SMS channels with the configured limits, and verification links under the
 * public address. It lends the account store (contacts for notifications, names at the gates, the
 * demo people).
 */
import type { AccountStore } from '../../../workers/accounts/account-store.js';
import { accountsRuntime } from '../../../workers/accounts/accounts.module.js';
import { openAccountStore, pepperFile } from '../../../workers/accounts/open-account-store.js';
import { createSecretHasher, loadOrCreatePepper } from '../../../workers/accounts/secrets.js';
import { createOtpSender } from '../../../workers/notifications/otp-sender.js';
import { nodePartOf } from '../node-part.js';

/** What the accounts module lends. */
export interface AccountsLends {
  readonly store: AccountStore;
}

export const accountsNode = nodePartOf(accountsRuntime, {
  async open({ config, store: choice, messaging, publicUrl, clock }) {
    const store = await openAccountStore(choice);
    const pepper = await loadOrCreatePepper({ file: pepperFile(config.DATA_DIR), configured: config.ACCOUNT_PEPPER });
    return {
      wiring: {
        store,
        hasher: createSecretHasher(pepper),
        sendOtp: createOtpSender({ email: messaging.channels.email, sms: messaging.channels.sms, clock }),
        limits: {
          otpTtlMs: config.OTP_TTL_MINUTES * 60_000,
          attemptsPerOtp: config.OTP_ATTEMPTS_PER_CODE,
          failuresPerWindow: config.OTP_FAILURES_PER_HOUR,
          failureWindowMs: 3_600_000,
          lockMs: config.OTP_LOCK_MINUTES * 60_000,
          resendGapMs: config.OTP_RESEND_SECONDS * 1000,
          sendsPerWindow: config.OTP_SENDS_PER_HOUR,
          sendWindowMs: 3_600_000,
          sessionTtlMs: config.REFRESH_TTL_DAYS * 86_400_000,
        },
        linkBase: `${publicUrl}/verify`,
      },
      lends: { store } satisfies AccountsLends,
      close: () => store.close(),
    };
  },
});
