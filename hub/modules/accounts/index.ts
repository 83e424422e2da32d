/**
 * Accounts: sign-up and sign-in (one-time codes), sessions, roles and suspensions, device tokens,
 * the audit trail, and ending every session of a person or device (`admin:revoke`).
 */
import { accountRoutes } from '../../api/account-routes.js';
import { adminRoutes } from '../../api/admin-routes.js';
import { permissionRoutes } from '../../api/permission-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { commandRoutes } from '../../socket/commands.js';
import { pickRoutes } from '../pick-routes.js';
import { devicesRuntime } from '../../../workers/devices/devices.module.js';
import type { AccountService } from '../../../workers/accounts/account-service.js';
import type { AccountsWiring } from '../../../workers/accounts/accounts.module.js';
import { accountsRuntime } from '../../../workers/accounts/accounts.module.js';
import { catalogRuntime } from '../../../workers/catalog/catalog.module.js';
import { serviceOf } from '../venue-module.js';
import type { AccountsLends } from './node.js';
import { accountsNode } from './node.js';
import type { VenueModule } from '../venue-module.js';

/** `{[key]: value}` when there is a value (the options are exact: no `undefined` members). */
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

export const accountsModule: VenueModule<AccountService | undefined, AccountsWiring, AccountsLends> = {
  ...accountsRuntime,
  node: accountsNode,
  policy: policyRows('session.revoke', 'account.find', 'account.set_role', 'account.suspend', 'account.reinstate', 'account.unlock', 'audit.read', 'device.issue_token'),
  socket: (ctx) =>
    pickRoutes(
      commandRoutes({
        host: ctx.runtime.host,
        bookings: ctx.runtime.bookings,
        accounts: ctx.accounts,
        catalog: ctx.catalog,
        revocations: ctx.runtime.access.revocations,
        trail: ctx.trail,
        io: ctx.io,
        metrics: ctx.metrics,
        clock: ctx.clock,
        log: ctx.log,
        ...optional('devices', serviceOf(ctx.runtime, devicesRuntime)),
      }),
      'admin:revoke',
    ),
  http({ node, runtime, endSessions, log, policy }) {
    const accounts = runtime.service(accountsRuntime);
    const catalog = runtime.service(catalogRuntime);
    if (node === undefined || accounts === undefined || catalog === undefined) return [];
    const auth = { tokens: node.tokens, revocations: runtime.access.revocations };
    return [
      ...accountRoutes({ accounts, tokens: node.tokens, revocations: runtime.access.revocations, endSessions, authRate: { ...node.services.lent(accountsModule).authRate, ...(node.redis === undefined ? {} : { redis: node.redis }) } }),
      ...adminRoutes({ ...auth, accounts, catalog, audit: runtime.access.audit, endSessions, log, ...optional('devices', serviceOf(runtime, devicesRuntime)) }),
      ...permissionRoutes({ auth, policy }),
    ];
  },
};
