import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';

/**
 * Everything the actor host needs to run one kind of actor: the pure machine, the zod
 * schemas for what may enter it from outside, and how to bring old snapshots forward.
 *
 * Stored snapshots carry `machineVersion` (XState's persisted form does not); the host
 * calls `migrate` for any older version and refuses newer or unknown ones.
 *
 * The type parameters are the vocabulary of a typed read (`host.read(definition, id)`): the
 * context, the state names and the state tags. Tags are the facts several places ask of an actor
 * ("does this booking admit people?", "does it hold places?"); they are declared on the machine's
 * states (XState `tags`) and listed here, so every caller asks the same question the same way.
 */
export interface ActorDefinition<TContext = unknown, TState extends string = string, TTag extends string = string> {
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
  /** The context of the current version (what a typed read returns as `context`). */
  readonly context: z.ZodType<TContext>;
  /** Every state name, in lifecycle order. */
  readonly states: readonly TState[];
  /** Every tag a state of the machine may carry. */
  readonly tags: readonly TTag[];
}

/** Any actor definition, whatever its vocabulary. */
export type AnyActorDefinition = ActorDefinition<unknown, string, string>;

/** The current state of one actor as callers and subscribers see it. */
export interface TypedActorView<TContext = unknown, TState extends string = string, TTag extends string = string> {
  kind: string;
  id: string;
  version: number;
  state: TState;
  status: string;
  context: TContext;
  /** The tags of the current state (see the machine's `*_TAGS`). */
  tags: TTag[];
  /** True when the command was a duplicate of one already applied (nothing new was written). */
  duplicate?: boolean;
  /** Epoch ms of the actor's next deadline (hold expiry, review or payment deadline), when it has one. */
  deadline?: number;
}

/** The typed view a definition's reads return. */
export type ViewOf<D> = D extends ActorDefinition<infer C, infer S, infer T> ? TypedActorView<C, S, T> : never;

/** The tags of a definition. */
export type TagOf<D> = D extends ActorDefinition<unknown, string, infer T> ? T : never;

/** Does the view's current state carry `tag`? */
export function hasTag<T extends string>(view: { readonly tags: readonly T[] }, tag: NoInfer<T>): boolean {
  return view.tags.includes(tag);
}
