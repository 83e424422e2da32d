/**
 * Privileged account actions: role changes, suspension and reinstatement, and the bootstrap of
 * the first super admin. Every attempt leaves an audit row (allowed, denied or failed); the
 * hub's role policy decides first, and these checks repeat the rules next to the data:
 *
 *   setRole      super_admin only, never on oneself (the last super admin cannot lock themself out)
 *   suspend      super_admin: anyone but oneself · support_admin: visitors only
 *   reinstate    as suspend
 *   unlock       as suspend: clears what keeps a person from signing in today — the wrong-code lock
 *                of the account (fail:user:<id>) and the code-send throttles of its verified email
 *                and phone (send:<address hash>); the per-address request rate of the edge is not
 *                an account's and is left alone
 *
 * A role lives inside access tokens, so a change away from any staff role revokes the person's
 * tokens (they refresh and get the new role); promoting a visitor needs no revocation.
 * Suspension ends every refresh session and revokes the tokens, which drops open sockets.
 */
import type { PersonRole } from '../../machines/contract/wire.js';
import { refuse, type ErrorCode, type Refusal, type Result } from '../../machines/errors.js';
import type { AuditLog } from '../store/actor-store.js';
import type { AccountStore, OtpChannel, UserRecord } from './account-store.js';
import type { Guards } from './guards.js';
import type { RefreshSessions, Revoked } from './refresh-sessions.js';

/** The admin performing an action, as the hub authenticated them. */
export interface AdminActor {
  userId: string;
  role: PersonRole;
}

/** A role change's outcome; `revoked` is set when the person's tokens were cut off. */
export interface RoleChanged {
  user: UserRecord;
  revoked: Revoked | null;
}

/** What the admin actions need. */
export interface AccountAdminDeps {
  store: AccountStore;
  audit: AuditLog;
  sessions: RefreshSessions;
  clock: () => number;
  /** Builds an account (defaults live with the service). */
  newUser: (userId: string, draft: Pick<UserRecord, 'name' | 'email' | 'phone'> & { language?: UserRecord['language'] }, at: number) => UserRecord;
  newUserId: () => string;
  /** The rate and failure counters the codes are held to. */
  guards: Pick<Guards, 'clear'>;
  /** The key of an address's send throttle (a keyed hash of `channel:address`). */
  addressKey: (channel: OtpChannel, address: string) => string;
}

/** What an unlock cleared: the wrong-code lock (until when it ran, if it was locked) and the throttled addresses. */
export interface Unlocked {
  userId: string;
  /** Epoch ms the account was locked until, or null when it was not locked. */
  lockedUntil: number | null;
  /** How many of the person's addresses had a code-send throttle that was reset. */
  addressesReset: number;
}

/** Privileged account actions. */
export interface AccountAdmin {
  setRole(userId: string, role: PersonRole, by: AdminActor): Promise<Result<RoleChanged>>;
  suspend(userId: string, reason: string, by: AdminActor): Promise<Result<Revoked>>;
  reinstate(userId: string, by: AdminActor): Promise<Result<UserRecord>>;
  /** Clears the sign-in lock and code-send throttles of an account (see the header). */
  unlock(userId: string, by: AdminActor): Promise<Result<Unlocked>>;
  /** Makes sure a verified super admin with this email exists (idempotent; for start-up config). */
  bootstrapAdmin(input: { email: string; name: string }): Promise<UserRecord>;
}

/** Creates the admin actions. */
export function createAccountAdmin(deps: AccountAdminDeps): AccountAdmin {
  const { store, audit, clock } = deps;

  async function record(by: AdminActor | null, action: string, userId: string, outcome: 'allowed' | 'denied' | 'failed', code: ErrorCode | null, detail: Record<string, unknown> | null) {
    await audit.append({
      at: clock(),
      who: by === null ? 'system' : `user:${by.userId}`,
      role: by === null ? 'system' : by.role,
      action,
      target: `account/${userId}`,
      outcome,
      code,
      detail,
    });
  }

  async function deny(by: AdminActor, action: string, userId: string, code: ErrorCode, message: string): Promise<Refusal> {
    await record(by, action, userId, code === 'auth.forbidden' ? 'denied' : 'failed', code, { message });
    return refuse(code, message);
  }

  /** Whether `by` may suspend or reinstate `target`. */
  function maySuspend(by: AdminActor, target: UserRecord): string | null {
    if (target.userId === by.userId) return 'nobody can suspend or reinstate their own account';
    if (by.role === 'super_admin') return null;
    if (by.role === 'support_admin' && target.role === 'visitor') return null;
    return 'only a super admin, or a support admin for visitors, may do this';
  }

  async function setStatus(userId: string, status: UserRecord['status'], by: AdminActor, action: string, reason: string): Promise<Result<UserRecord>> {
    const target = await store.users.get(userId);
    if (!target) return deny(by, action, userId, 'account.invalid', 'no such account');
    const why = maySuspend(by, target);
    if (why !== null) return deny(by, action, userId, 'auth.forbidden', why);
    await record(by, action, userId, 'allowed', null, { reason, from: target.status, to: status });
    const updated = await store.users.update(userId, { status }, clock());
    return updated ? { ok: true, data: updated } : refuse('account.invalid', 'no such account');
  }

  async function bootstrapAdmin({ email, name }: { email: string; name: string }): Promise<UserRecord> {
    const existing = await store.users.findVerified('email', email);
    if (existing) {
      if (existing.role === 'super_admin') return existing;
      await record(null, 'account.bootstrap_admin', existing.userId, 'allowed', null, { from: existing.role, to: 'super_admin' });
      const updated = await store.users.update(existing.userId, { role: 'super_admin', status: 'active' }, clock());
      if (!updated) throw new Error(`bootstrap admin ${email}: the account vanished`);
      return updated;
    }
    const at = clock();
    const user: UserRecord = { ...deps.newUser(deps.newUserId(), { name, email, phone: null }, at), role: 'super_admin', emailVerified: true };
    await record(null, 'account.bootstrap_admin', user.userId, 'allowed', null, { to: 'super_admin' });
    // Another node verified the same address meanwhile: promote that account instead.
    return (await store.users.create(user)) ? user : bootstrapAdmin({ email, name });
  }

  return {
    async setRole(userId, role, by) {
      const action = 'account.set_role';
      if (by.role !== 'super_admin') return deny(by, action, userId, 'auth.forbidden', 'only a super admin may change roles');
      if (by.userId === userId) return deny(by, action, userId, 'auth.forbidden', 'nobody can change their own role');
      const target = await store.users.get(userId);
      if (!target) return deny(by, action, userId, 'account.invalid', 'no such account');
      if (target.role === role) return { ok: true, data: { user: target, revoked: null } };
      await record(by, action, userId, 'allowed', null, { from: target.role, to: role });
      const user = await store.users.update(userId, { role }, clock());
      if (!user) return refuse('account.invalid', 'no such account');
      const revoked = target.role === 'visitor' ? null : await deps.sessions.revokeAccess(userId, `role changed from ${target.role} to ${role}`, `user:${by.userId}`);
      return { ok: true, data: { user, revoked } };
    },

    async suspend(userId, reason, by) {
      const updated = await setStatus(userId, 'suspended', by, 'account.suspend', reason);
      if (!updated.ok) return updated;
      return { ok: true, data: await deps.sessions.endAll(userId, `suspended: ${reason}`, `user:${by.userId}`) };
    },

    async reinstate(userId, by) {
      return setStatus(userId, 'active', by, 'account.reinstate', 'reinstated');
    },

    async unlock(userId, by) {
      const action = 'account.unlock';
      const target = await store.users.get(userId);
      if (!target) return deny(by, action, userId, 'account.invalid', 'no such account');
      const why = maySuspend(by, target);
      if (why !== null) return deny(by, action, userId, 'auth.forbidden', why.replace('suspend or reinstate', 'unlock'));
      const at = clock();
      const addresses = [
        ...(target.email !== null && target.emailVerified ? [deps.addressKey('email', target.email)] : []),
        ...(target.phone !== null && target.phoneVerified ? [deps.addressKey('sms', target.phone)] : []),
      ];
      const lock = await deps.guards.clear(`fail:user:${userId}`, at);
      const lockedUntil = lock?.lockedUntil != null && lock.lockedUntil > at ? lock.lockedUntil : null;
      let addressesReset = 0;
      for (const key of addresses) if ((await deps.guards.clear(`send:${key}`, at)) !== null) addressesReset += 1;
      await record(by, action, userId, 'allowed', null, { lockedUntil, addressesReset });
      return { ok: true, data: { userId, lockedUntil, addressesReset } };
    },

    bootstrapAdmin,
  };
}
