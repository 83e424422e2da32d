/**
 * Actors on the wire: a reference, the state subscribers see, a committed change, and a command to one actor.
 */
import { z } from 'zod';
import { Id, Unsubscribed } from './common.js';
import { serverPush, socketEvent } from './contract.js';

/** A reference to one actor. */
export const ActorRef = z.strictObject({ kind: z.string().regex(/^[a-z_]{1,32}$/), id: Id });
export type ActorRef = z.infer<typeof ActorRef>;

/** The state of one actor as subscribers see it; `version` orders every change. */
export const ActorState = z.object({
  kind: z.string(),
  id: z.string(),
  version: z.number().int().positive(),
  state: z.string(),
  status: z.string(),
  context: z.unknown(),
  /** The facts the state carries (the machine's state tags, e.g. a booking's `admits`, `cancellable`). */
  tags: z.array(z.string()),
  duplicate: z.boolean().optional(),
  /** Epoch ms of the next deadline (a hold's expiry, the review or payment deadline), for countdowns. */
  deadline: z.number().int().optional(),
});
export type ActorState = z.infer<typeof ActorState>;

/**
 * A committed change; a client that sees `version` skip ahead re-subscribes for the current state.
 * `cursor` is the change's place in the hub's change log (the read side's cursor; 0 when the store
 * numbers changes after the commit, as the MongoDB store does).
 */
export const ActorChanged = ActorState.extend({ eventType: z.string(), at: z.number(), cursor: z.number().int().nonnegative() });
export type ActorChanged = z.infer<typeof ActorChanged>;

/** Sends one event to one actor; `commandId` makes a retry answer the same instead of applying twice. */
export const ActorCommand = z.strictObject({
  kind: ActorRef.shape.kind,
  id: Id,
  event: z.looseObject({ type: z.string().min(1).max(64) }),
  commandId: z.string().min(8).max(128).optional(),
});
export type ActorCommand = z.infer<typeof ActorCommand>;

/** The socket events of actors. */
export const ACTOR_EVENTS = {
  'actor:subscribe': socketEvent({
    payload: ActorRef,
    ack: ActorState,
    summary: 'Follow one actor: its current state first, then every change as actor:changed.',
    description: 'Answers the current state and version. Keep the version: a later actor:changed whose version skips ahead means changes were missed; subscribe again for the current state. A visitor may follow their own bookings, tickets and payments; staff follow any actor.',
    by: 'visitors (own actors), staff, devices (their scope)',
  }),
  'actor:unsubscribe': socketEvent({ payload: ActorRef, ack: Unsubscribed, summary: 'Stop following one actor.', by: 'anyone subscribed' }),
  'actor:command': socketEvent({
    payload: ActorCommand,
    ack: ActorState,
    summary: 'Send one event to one actor (e.g. booking.submit, booking.approve); answers its new state.',
    description: 'The policy table decides who may send which event to which kind (docs/roles.md). An event the machine does not accept in its state is refused with event.rejected and writes nothing. Send a commandId (8–128 characters) and a retry answers the same instead of applying twice.',
    by: 'per the policy table',
  }),
} as const;

/** The pushes of actors. */
export const ACTOR_PUSHES = {
  'actor:changed': serverPush({
    payload: ActorChanged,
    summary: 'A followed actor changed: its new state, version and change-log cursor.',
    description: 'Apply it when its version is newer than the one held; a version that skips ahead means a gap: subscribe again.',
    to: 'sockets following the actor',
  }),
} as const;
