/** Socket routes by name, for a module that takes its events from a registration function shared with others. */
import type { Route } from '../socket/inbound.js';

/** The named routes of a table (each must be in it). */
export function pickRoutes<T extends Readonly<Record<string, Route>>, K extends keyof T & string>(table: T, ...names: readonly K[]): Record<K, Route> {
  const out: Partial<Record<K, Route>> = {};
  for (const name of names) out[name] = table[name];
  return out as Record<K, Route>;
}
