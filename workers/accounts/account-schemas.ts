/**
 * What callers send the accounts service: the contract's schemas (machines/contract/accounts.ts),
 * re-exported for the workers that parse with them.
 */
import type { z } from 'zod';

export * from '../../machines/contract/accounts.js';

/** Turns a failed parse into one readable line. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}
