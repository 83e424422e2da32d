/**
 * Pages by path, with the History API: links change the path without a reload and the hub serves
 * the same page for every visitor path (so a link from an email opens the right page).
 */
import { signal } from '@preact/signals';

/** The current path (without query or hash). */
export const path = signal(location.pathname);

/** Goes to `to` (a same-origin path) without reloading. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  path.value = location.pathname;
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => (path.value = location.pathname));

/** A route match: the page and its parameters. */
export type Route =
  | { page: 'home' }
  | { page: 'activity'; activityId: string }
  | { page: 'sign-in' }
  | { page: 'verify' }
  | { page: 'bookings' }
  | { page: 'booking'; bookingId: string }
  | { page: 'visit-food'; bookingId: string }
  | { page: 'food-order'; orderId: string }
  | { page: 'account' }
  | { page: 'not-found' };

/** The page a path shows. */
export function routeOf(pathname: string): Route {
  const parts = pathname.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part));
  const [first, second, third] = parts;
  if (first === undefined) return { page: 'home' };
  if (first === 'activities' && second !== undefined) return { page: 'activity', activityId: second };
  if (first === 'sign-in') return { page: 'sign-in' };
  if (first === 'verify') return { page: 'verify' };
  if (first === 'bookings' && second === undefined) return { page: 'bookings' };
  if (first === 'bookings' && second !== undefined && third === 'food') return { page: 'visit-food', bookingId: second };
  if (first === 'bookings' && second !== undefined) return { page: 'booking', bookingId: second };
  if (first === 'food-orders' && second !== undefined) return { page: 'food-order', orderId: second };
  if (first === 'account') return { page: 'account' };
  return { page: 'not-found' };
}
