import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';

/**
 * Everything the actor host needs to run one kind of actor: the pure machine, the zod
 * schemas for what may enter it from outside, and how to bring old snapshots forward.
 *
 * Stored snapshots carry `machineVersion` (XState's persisted form does not); the host
 * calls `migrate` for any older version and refuses newer or unknown ones.
 */
export interface ActorDefinition {
  /** Actor kind, e.g. `booking`; part of every actor key. */
  readonly kind: string;
  /** Bumped whenever the persisted shape (states or context) changes incompatibly. */
  readonly version: number;
  readonly machine: AnyStateMachine;
  /** Parses the machine input given at creation. */
  readonly input: z.ZodType;
  /** Parses every event a caller may send (timer events are internal and bypass this). */
  readonly events: z.ZodType<{ type: string }>;
  /** Parses the persisted snapshot of the current version (after migration). */
  readonly snapshot: z.ZodType;
  /**
   * Brings a persisted snapshot from `fromVersion` (< version) to the current version.
   * Throws a CodedError('snapshot.unsupported_version') when it cannot.
   */
  readonly migrate: (persisted: unknown, fromVersion: number) => unknown;
}
