/**
 * The staff member's access: what the one policy table lets their role do, as the hub answers it
 * (GET /api/me/permissions). Pages and the navigation show only what it allows; the hub refuses
 * the rest anyway.
 */
import { signal } from '@preact/signals';
import { account, api, forgetSession, hasSession, signedInCall } from '../session.js';

/** The role and the policy actions it allows; null before they are known (or when signed out). */
export const access = signal<{ role: string; actions: ReadonlySet<string> } | null>(null);
/** Set when loading the permissions failed (e.g. the session ended). */
export const accessProblem = signal('');

/** True when the policy allows the signed-in role `action`. */
export function can(action: string): boolean {
  return access.value?.actions.has(action) ?? false;
}

/** The staff roles: anyone else signed in here sees a "no access" page (kitchen staff: the menu only). */
export const STAFF_ROLES = ['super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff'];

/** Asks the hub what the kept session's role may do. */
export async function loadAccess(): Promise<void> {
  if (!hasSession()) {
    access.value = null;
    return;
  }
  const [me, answer] = await Promise.all([signedInCall((token) => api.me(token)), signedInCall((token) => api.permissions(token))]);
  if (me.ok) account.value = me.data;
  if (!answer.ok) {
    accessProblem.value = answer.message;
    if (answer.code.startsWith('auth.')) forgetSession();
    access.value = null;
    return;
  }
  accessProblem.value = '';
  access.value = { role: answer.data.role, actions: new Set(answer.data.actions) };
}
