/**
 * The accounts module: sign-up and sign-in by one-time codes, refresh sessions, roles and
 * suspensions. Its service is built on the account store the runtime is wired with and on the
 * actor store's audit log and revocation list (reached through the module context); without
 * `accounts` in the wiring (tests below the edge) the module runs no service.
 */
import type { RuntimeModule } from '../modules/runtime-module.js';
import type { AccountService } from './account-service.js';
import { createAccountService } from './account-service.js';

export const accountsRuntime: RuntimeModule<AccountService | undefined> = {
  name: 'accounts',
  start(ctx) {
    const wiring = ctx.wiring.accounts;
    if (wiring === undefined) return { service: undefined };
    return { service: createAccountService({ ...wiring, access: ctx.store, log: ctx.log.child({ part: 'accounts' }) }) };
  },
};
