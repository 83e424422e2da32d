/**
 * The accounts module: sign-up and sign-in by one-time codes, refresh sessions, roles and
 * suspensions. Its service is built on the account store and settings it is wired with and on the
 * actor store's audit log and revocation list (reached through the module context); unwired
 * (tests below the edge) the module runs no service.
 */
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { AccountService, AccountServiceDeps } from './account-service.js';
import { createAccountService } from './account-service.js';

/** The account store, secret hasher, code sender and limits of the accounts service (audit and revocations are the actor store's). */
export type AccountsWiring = Omit<AccountServiceDeps, 'access' | 'log'>;

export const accountsRuntime: RuntimeModule<AccountService | undefined, AccountsWiring> = {
  name: 'accounts',
  start(ctx) {
    const { wiring } = ctx;
    if (wiring === undefined) return { service: undefined };
    return { service: createAccountService({ ...wiring, access: ctx.store, log: ctx.log.child({ part: 'accounts' }) }) };
  },
};
