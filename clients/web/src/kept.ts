/**
 * What the visitor's pages keep on this device so that tickets open without a connection (at a
 * gate with no signal): each booking's last state and its tickets, the catalog and the account.
 * Dropped on sign-out.
 */
const PREFIX = 'vh.kept.';

/** Keeps `value` under `key` (best effort: a full storage keeps nothing). */
export function keep(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the page still works online.
  }
}

/** The value kept under `key`, if any. */
export function kept<T>(key: string): T | null {
  const text = localStorage.getItem(PREFIX + key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Forgets everything kept (sign-out). */
export function forgetKept(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}
