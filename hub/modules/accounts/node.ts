/**
 * The accounts module on a node: the account store (the node's SQLite file or MongoDB database),
 * the secret pepper (ACCOUNT_PEPPER, or one kept under DATA_DIR/keys), one-time codes sent over the
 * node's email and SMS channels with its limits (OTP_*, REFRESH_TTL_DAYS), and verification links
 * under the public address. It lends the account store (contacts for notifications, names at the
 * gates, the demo people) and the per-address budget of its sign-in routes (AUTH_RATE_*).
 */
import { z } from 'zod';
import type { AccountStore } from '../../../workers/accounts/account-store.js';
import { accountsRuntime } from '../../../workers/accounts/accounts.module.js';
import { openAccountStore, pepperFile } from '../../../workers/accounts/open-account-store.js';
import { createSecretHasher, loadOrCreatePepper } from '../../../workers/accounts/secrets.js';
import { createOtpSender } from '../../../workers/notifications/otp-sender.js';
import { integer } from '../../env-fields.js';
import { nodePartOf } from '../node-part.js';

/** The accounts module's variables: one-time codes, sessions, and the sign-in routes' budget. */
export const AccountsSettings = z.object({
  OTP_TTL_MINUTES: integer('OTP_TTL_MINUTES', 1, 10, 10),
  OTP_ATTEMPTS_PER_CODE: integer('OTP_ATTEMPTS_PER_CODE', 1, 20, 5),
  OTP_FAILURES_PER_HOUR: integer('OTP_FAILURES_PER_HOUR', 1, 100, 10),
  OTP_LOCK_MINUTES: integer('OTP_LOCK_MINUTES', 1, 1_440, 30),
  OTP_RESEND_SECONDS: integer('OTP_RESEND_SECONDS', 1, 3_600, 30),
  OTP_SENDS_PER_HOUR: integer('OTP_SENDS_PER_HOUR', 1, 100, 5),
  REFRESH_TTL_DAYS: integer('REFRESH_TTL_DAYS', 1, 365, 30),
  AUTH_RATE_PER_MINUTE: integer('AUTH_RATE_PER_MINUTE', 1, 100_000, 60),
  AUTH_RATE_BURST: integer('AUTH_RATE_BURST', 1, 100_000, 30),
});

/** What the accounts module lends. */
export interface AccountsLends {
  readonly store: AccountStore;
  /** Per-address budget of /api/auth/* (shared through the node's Redis when it has one). */
  readonly authRate: { perMinute: number; burst: number };
}

export const accountsNode = nodePartOf(accountsRuntime, {
  settings: AccountsSettings,
  async open({ config, store: choice, messaging, publicUrl, clock }, settings) {
    const store = await openAccountStore(choice);
    const pepper = await loadOrCreatePepper({ file: pepperFile(config.DATA_DIR), configured: config.ACCOUNT_PEPPER });
    return {
      wiring: {
        store,
        hasher: createSecretHasher(pepper),
        sendOtp: createOtpSender({ email: messaging.channels.email, sms: messaging.channels.sms, clock }),
        limits: {
          otpTtlMs: settings.OTP_TTL_MINUTES * 60_000,
          attemptsPerOtp: settings.OTP_ATTEMPTS_PER_CODE,
          failuresPerWindow: settings.OTP_FAILURES_PER_HOUR,
          failureWindowMs: 3_600_000,
          lockMs: settings.OTP_LOCK_MINUTES * 60_000,
          resendGapMs: settings.OTP_RESEND_SECONDS * 1000,
          sendsPerWindow: settings.OTP_SENDS_PER_HOUR,
          sendWindowMs: 3_600_000,
          sessionTtlMs: settings.REFRESH_TTL_DAYS * 86_400_000,
        },
        linkBase: `${publicUrl}/verify`,
      },
      lends: { store, authRate: { perMinute: settings.AUTH_RATE_PER_MINUTE, burst: settings.AUTH_RATE_BURST } } satisfies AccountsLends,
      close: () => store.close(),
    };
  },
});
