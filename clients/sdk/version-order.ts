/**
 * The state-based protocol's ordering rule, as a pure function.
 *
 *   known v      incoming (from a change notice)      decision
 *   ─────────    ──────────────────────────────────   ───────────────────────────────
 *   none         any                                  apply (first state we hear of)
 *   v            ≤ v                                  ignore (late or duplicate)
 *   v            v + 1                                apply
 *   v            > v + 1                              apply, and re-subscribe (a gap:
 *                                                     notices were lost on the way)
 *
 * Answers to (re-)subscribe calls are authoritative snapshots: newer ones are applied,
 * older or equal ones ignored, and they never count as a gap.
 */

/** Where a state came from. */
export type StateSource = 'subscribe' | 'resync' | 'change';

/** What to do with an incoming state. */
export type VersionDecision = 'apply' | 'apply-gap' | 'ignore';

/** Decides whether an incoming state replaces the known one and whether a gap was seen. */
export function decideVersion(known: number | undefined, incoming: number, source: StateSource): VersionDecision {
  if (known === undefined) return 'apply';
  if (incoming <= known) return 'ignore';
  if (source === 'change' && incoming > known + 1) return 'apply-gap';
  return 'apply';
}
