/**
 * Front-desk pages (lockers, rentals) are used by signed-in staff: the visitor app's sign-in by
 * code, then a check of the role. The hub decides every call again; this only saves a screen of
 * refusals for an account that has no front-desk role.
 */
import type { ComponentChildren } from 'preact';
import type { HubAccount } from '../../../sdk/index.js';
import { account, hasSession, signOut } from '../session.js';
import { SignInPanel } from '../views/sign-in.js';
import { st } from './staff-messages.js';

/** Roles the policy table lets run a locker counter or a rental desk. */
export const FRONT_DESK_ROLES: ReadonlySet<string> = new Set(['super_admin', 'booking_admin', 'support_admin']);

/** The signed-in person's name and a sign-out button, for the page's header. */
export function StaffWho() {
  const who = account.value;
  if (who === null) return null;
  return (
    <>
      <span class="pill">{st('staff.signedInAs', { name: who.name, role: who.role })}</span>
      <button type="button" class="quiet small" onClick={() => void signOut()}>
        {st('staff.signOut')}
      </button>
    </>
  );
}

/** Shows `children(account)` to front-desk staff, the sign-in to anyone else. */
export function FrontDeskOnly(props: { children: (who: HubAccount) => ComponentChildren }) {
  const who = account.value;
  if (who === null) {
    return (
      <section class="panel" aria-labelledby="staff-sign-in">
        <h2 id="staff-sign-in">{st('staff.signInTitle')}</h2>
        <p>{st('staff.signInHint')}</p>
        {hasSession() ? null : <SignInPanel initialMode="returning" onSignedIn={() => {}} />}
      </section>
    );
  }
  if (!FRONT_DESK_ROLES.has(who.role)) {
    return (
      <p class="error" role="alert">
        {st('staff.notStaff')}
      </p>
    );
  }
  return <>{props.children(who)}</>;
}
