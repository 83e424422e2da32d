/**
 * The persistence port. One interface, two adapters (SQLite embedded default, MongoDB in
 * production) and one contract suite (`actor-store.contract.ts`) that every adapter passes.
 *
 *   host ──commit(CAS on version, dedupe by eventId, log, effects, timers)──▶ store
 *   relay ◀──pendingEffects / ackEffects── store
 *   timers ◀──dueTimers (indexed next-due time)── store
 *   host ──counters (deltas of a committed transition, e.g. who is inside a zone)──▶ store
 *   booking service ──ledger.take / release / confirm (atomic, idempotent by holdId)──▶ store
 */

/** A durable timer kept with its actor: the event to deliver at an absolute time. */
export interface TimerRecord {
  event: { type: string; [key: string]: unknown };
  /** Absolute due time, epoch milliseconds. */
  dueAt: number;
  /** Generation: a timer job carrying another gen is stale and ignored. */
  gen: number;
}

export interface ActorRecord {
  kind: string;
  id: string;
  /** Version of the machine definition that produced `state`. */
  machineVersion: number;
  /** Commit counter; starts at 1 on creation, + 1 per committed event. */
  version: number;
  /** XState persisted snapshot (JSON-safe). */
  state: unknown;
  timers: Record<string, TimerRecord>;
  updatedAt: number;
}

/** One row of an actor's event log: who did what, when, and the state before and after. */
export interface EventLogEntry {
  kind: string;
  id: string;
  version: number;
  eventId: string | null;
  eventType: string;
  who: string;
  at: number;
  from: string | null;
  to: string;
}

/** An effect waiting in the outbox; `effectId` = `${kind}/${id}@${version}#${index}`, stable across retries. */
export interface EffectRow {
  effectId: string;
  kind: string;
  actorId: string;
  version: number;
  index: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: number;
}

/** The new state as the read side will see it, computed by the host with the machine. */
export interface ChangeView {
  /** State value as a dotted string. */
  state: string;
  status: string;
  tags: string[];
  /** Epoch ms of the next deadline, when there is one. */
  deadline?: number;
}

export interface CommitRequest {
  kind: string;
  id: string;
  /** 0 to create; otherwise the version the transition was computed from. */
  expectedVersion: number;
  machineVersion: number;
  state: unknown;
  timers: Record<string, TimerRecord>;
  /** When set, a second commit with the same eventId for this actor is dropped as a duplicate. */
  eventId: string | null;
  log: EventLogEntry;
  effects: EffectRow[];
  /**
   * What the change log records of the new state (its context is the snapshot's). The actor host
   * always sets it; a raw commit without it is logged as `log.to`, status `active`, no tags.
   */
  view?: ChangeView;
  at: number;
  /**
   * Counts this transition moves (name → delta), written with the commit: a duplicate or a
   * conflict moves none, so each committed transition counts exactly once (occupancy).
   */
  counters?: Readonly<Record<string, number>>;
  /**
   * Effects to leave out while another actor is still as the caller read it. Some effects only act
   * on another actor's state (a ticket's entry checks its booking in): when that actor's stored
   * version is still `whileUnchanged.version` inside the commit's atomic write, the caller has
   * already seen it in a state where they would do nothing. An adapter that cannot check this in the
   * same atomic write writes the effects (always safe: their handlers re-check).
   */
  omitEffects?: OmitEffects;
}

/** Effect types to leave out of a commit while another actor stays at the version the caller read. */
export interface OmitEffects {
  types: readonly string[];
  whileUnchanged: { kind: string; id: string; version: number };
}

export type CommitResult =
  /**
   * `seq`: the change's place in the change log (commit order across all actors); `omittedEffects`:
   * how many of the request's effects `omitEffects` left out (absent: none).
   */
  | { status: 'committed'; version: number; seq: number; omittedEffects?: number }
  | { status: 'conflict' }
  | { status: 'duplicate' };

export interface DueTimer {
  kind: string;
  id: string;
  key: string;
  gen: number;
  dueAt: number;
}

export interface SlotLevel {
  slotId: string;
  capacity: number;
  taken: number;
  remaining: number;
}

export type TakeResult =
  | { ok: true; remaining: number }
  | { ok: false; code: 'slot.sold_out' | 'slot.not_found'; remaining: number };

/**
 * A moved hold: where it was, and the places left in the slot it is in now. `hold.missing`: no live
 * hold has that id (never taken, or released).
 */
export type MoveResult =
  | { ok: true; fromSlotId: string; remaining: number }
  | { ok: false; code: 'slot.sold_out' | 'slot.not_found' | 'hold.missing'; remaining: number };

/** One live hold of a slot: for a booking's seats the hold id is the booking id. */
export interface SlotHold {
  holdId: string;
  qty: number;
  status: 'held' | 'confirmed';
  /** Who holds it (a visitor id), when it was taken with `takeFor`. */
  holder?: string;
}

/**
 * A holder's caps on places held and not yet confirmed (unpaid): in one slot and over all slots.
 * Confirmed (paid) and released holds do not count.
 */
export interface HolderLimits {
  holder: string;
  maxPerSlot: number;
  maxTotal: number;
}

/** A take refused because the holder already holds `held` unpaid places where `max` are allowed. */
export interface HolderLimitRefusal {
  ok: false;
  code: 'booking.hold_limit';
  scope: 'slot' | 'total';
  held: number;
  max: number;
  remaining: number;
}

/**
 * Scarce capacity as a ledger: one atomic, idempotent operation per hold. Taking with a
 * hold id that already holds returns ok again without taking twice; releasing gives back
 * once; a confirmed hold stays taken until released.
 */
export interface CapacityLedger {
  /** Creates the slot or changes its capacity (never below what is taken). */
  defineSlot(slotId: string, capacity: number): Promise<void>;
  /** Takes `qty` under `holdId`; `confirmed` records it sold at once (one write instead of take + confirm). */
  take(slotId: string, holdId: string, qty: number, at: number, confirmed?: boolean): Promise<TakeResult>;
  /**
   * Takes `qty` held (unpaid) places for `limits.holder`, in the same atomic step checking that the
   * holder's unpaid places stay within `maxPerSlot` in this slot and `maxTotal` over all slots.
   * Idempotent per hold id like `take`.
   */
  takeFor(slotId: string, holdId: string, qty: number, at: number, limits: HolderLimits): Promise<TakeResult | HolderLimitRefusal>;
  /** The live holds of one holder over all slots, oldest first, with their slot. */
  holdsOfHolder(holder: string): Promise<Array<SlotHold & { slotId: string }>>;
  /** Gives the hold back; true only the first time. */
  release(holdId: string, at: number): Promise<boolean>;
  /**
   * Moves a live hold to `toSlotId` with `qty` places, in one atomic step (the same slot: only its
   * quantity changes): the target must have room for it, the source gets its places back, the hold
   * keeps its id, status and holder. Refused, nothing changes. With `absorb`, that other live hold
   * (places a paid booking's change reserved while its difference was being paid) is given back
   * in the same atomic step first, so its places are room for this move and nobody can take them
   * in between; an absorbed hold already gone changes nothing.
   */
  move(holdId: string, toSlotId: string, qty: number, at: number, absorb?: string): Promise<MoveResult>;
  /** Marks the hold as sold (kept, not swept as an orphan). */
  confirm(holdId: string, at: number): Promise<void>;
  level(slotId: string): Promise<SlotLevel | null>;
  /** Holds still 'held' that were taken before `olderThan` and have no actor with their id. */
  orphanHolds(actorKind: string, olderThan: number, limit: number): Promise<string[]>;
  /** The live (held or confirmed) holds of a slot, oldest first; empty for an unknown slot. */
  holdsOf(slotId: string): Promise<SlotHold[]>;
}

/** One privileged action or denied attempt: who, as what role, did what to what, and how it ended. */
export interface AuditEntry {
  at: number;
  /** `user:<id>`, `device:<id>`, `system`. */
  who: string;
  role: string;
  /** The command, e.g. `booking.approve`, `device.revoke`, `socket.subscribe`. */
  action: string;
  /** The target, e.g. `booking/b1`, or null. */
  target: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  /** The refusal code when not allowed. */
  code: string | null;
  detail: Record<string, unknown> | null;
}

/** Append-only audit trail of privileged actions and denied attempts. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(query: { limit: number; since?: number; who?: string }): Promise<AuditEntry[]>;
}

/**
 * Revocation by subject: every token of `subject` (a user or device id) issued at or before
 * `before` (epoch seconds) is refused. Demotion and device revocation both write here.
 */
export interface RevocationList {
  revoke(subject: string, before: number, reason: string, by: string, at: number): Promise<void>;
  /** The latest cut-off for the subject, or null when never revoked. */
  revokedBefore(subject: string): Promise<number | null>;
}

/** One committed change as the read side sees it: the actor's new view, numbered in commit order. */
export interface ChangeRecord extends ChangeView {
  /** Position in the change log, increasing in commit order across every actor: the read side's cursor. */
  seq: number;
  kind: string;
  id: string;
  version: number;
  context: unknown;
  eventType: string;
  at: number;
}

/**
 * The change log: every commit's resulting view, in commit order. Projections are folded from it
 * (and rebuilt by replaying it); subscribers that missed pushes ask it for what came after their
 * cursor. Pruning deletes only changes a later change of the same actor supersedes, so every
 * actor's latest view stays in the log and a replay from the start always rebuilds the present.
 */
export interface ChangeLog {
  /** Changes with `seq > after`, oldest first, at most `limit`, only of `kinds` when given. */
  since(after: number, limit: number, kinds?: readonly string[]): Promise<ChangeRecord[]>;
  /** The seq of the latest change (0 when the log is empty). */
  head(): Promise<number>;
  /** Every change after this seq is retained; a cursor below it may have missed pruned changes. */
  horizon(): Promise<number>;
  /** Deletes changes committed before `before` (epoch ms) that a later change of the same actor supersedes; how many. */
  prune(before: number): Promise<number>;
}

export interface ActorStore {
  readonly audit: AuditLog;
  /** Every committed change in commit order (the read side's source). */
  readonly changes: ChangeLog;
  readonly revocations: RevocationList;
  readonly name: string;
  load(kind: string, id: string): Promise<ActorRecord | null>;
  /** The actor's committed version, or null when it does not exist (an indexed read: tells whether a cached snapshot is current). */
  version(kind: string, id: string): Promise<number | null>;
  /** Was an event with this id committed to this actor? An indexed lookup, never a read of the event log. */
  applied(kind: string, id: string, eventId: string): Promise<boolean>;
  commit(req: CommitRequest): Promise<CommitResult>;
  eventLog(kind: string, id: string): Promise<EventLogEntry[]>;
  /** The value of a count that commits move (0 when none ever did). */
  counter(name: string): Promise<number>;
  /** Oldest first, only of the given types when `types` is set. Delivery is at least once: rows stay until acked. */
  pendingEffects(limit: number, types?: readonly string[]): Promise<EffectRow[]>;
  ackEffects(rows: EffectRow[]): Promise<void>;
  /** Timers with dueAt <= until, soonest first. */
  dueTimers(until: number, limit: number): Promise<DueTimer[]>;
  readonly ledger: CapacityLedger;
  close(): Promise<void>;
}
