/**
 * The console's sections, each behind the policy action that decides whether the role may see it.
 * Paths are /admin/<section>[/<id>].
 */
import { navigate, path } from '../router.js';
import type { AdminKey } from './messages.js';

/** One section of the console. */
export interface Section {
  id: 'dashboard' | 'reviews' | 'bookings' | 'transactions' | 'report' | 'menu' | 'audit' | 'staff' | 'devices' | 'support';
  /** The policy action that shows it. */
  action: string;
  label: AdminKey;
}

/** Every section, in navigation order. */
export const SECTIONS: readonly Section[] = [
  { id: 'dashboard', action: 'feed.dashboard', label: 'nav.dashboard' },
  { id: 'reviews', action: 'feed.reviews', label: 'nav.reviews' },
  { id: 'bookings', action: 'list.bookings', label: 'nav.bookings' },
  { id: 'transactions', action: 'transactions.list', label: 'nav.transactions' },
  { id: 'report', action: 'transactions.list', label: 'nav.report' },
  { id: 'menu', action: 'menu.admin', label: 'nav.menu' },
  { id: 'audit', action: 'audit.read', label: 'nav.audit' },
  { id: 'staff', action: 'account.set_role', label: 'nav.staff' },
  { id: 'devices', action: 'device.issue_token', label: 'nav.devices' },
  { id: 'support', action: 'account.suspend', label: 'nav.support' },
];

/** Where the path points in the console: a section and an item of it. */
export function adminRoute(pathname: string): { section: string | undefined; id: string | undefined } {
  const parts = pathname.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  return { section: parts[1], id: parts[2] };
}

/** The current section's path helpers. */
export function sectionHref(section: Section['id'], id?: string): string {
  return id === undefined ? `/admin/${section}` : `/admin/${section}/${encodeURIComponent(id)}`;
}

export { navigate, path };
