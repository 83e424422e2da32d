/**
 * The pure half of the actor host: restore a stored snapshot, run XState's `transition()`,
 * and turn the returned actions into what one commit must write.
 *
 *   stored record ──restore (migrate, zod, status check)──▶ snapshot
 *   snapshot + event ──transition()──▶ [next, actions]
 *   actions: xstate.emit          ──▶ effect rows (outbox)
 *            xstate.raise + delay ──▶ timers[id] = {event, dueAt = now + delay, gen}
 *            xstate.cancel        ──▶ delete timers[sendId]
 *
 * No I/O here: the caller supplies `now` and does the commit.
 */
import { createActor } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import type { ActorDefinition } from '../../machines/actor-definition.js';
import { CodedError } from '../../machines/errors.js';
import type { ActorRecord, TimerRecord } from '../store/actor-store.js';

/** What a transition asks the host to write besides the snapshot. */
export interface StepOutcome {
  next: AnyMachineSnapshot;
  persisted: unknown;
  timers: Record<string, TimerRecord>;
  effects: Array<{ type: string; payload: Record<string, unknown> }>;
}

interface ActionLike {
  type: string;
  params: unknown;
}

/** Renders a state value as one string (`a.b` for nested states) for logs and notices. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['?', undefined];
    return inner === undefined ? key : `${key}.${stateName(inner)}`;
  }
  return String(value);
}

/** Brings a stored record to a live snapshot of the current machine version, or throws a CodedError. */
export function restore(def: ActorDefinition, record: ActorRecord): AnyMachineSnapshot {
  if (record.machineVersion > def.version || record.machineVersion < 1) {
    throw new CodedError(
      'snapshot.unsupported_version',
      `${def.kind} ${record.id} was stored by machine version ${record.machineVersion}; this node runs version ${def.version}`,
    );
  }
  const migrated = record.machineVersion < def.version ? def.migrate(record.state, record.machineVersion) : record.state;
  const parsed = def.snapshot.safeParse(migrated);
  if (!parsed.success) {
    throw new CodedError('snapshot.invalid', `${def.kind} ${record.id} has an unreadable snapshot: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const data = parsed.data as { value: unknown; context: unknown; status?: string; historyValue?: unknown };
  let snapshot: AnyMachineSnapshot;
  try {
    snapshot = def.machine.resolveState({
      value: data.value as never,
      context: data.context as never,
      historyValue: data.historyValue as never,
      status: data.status as never,
    });
  } catch (error) {
    throw new CodedError('snapshot.invalid', `${def.kind} ${record.id} names a state this machine lacks: ${(error as Error).message}`);
  }
  if (snapshot.status === 'error') {
    throw new CodedError('snapshot.invalid', `${def.kind} ${record.id} restored into an error status`);
  }
  return snapshot;
}

type ActorScope = Parameters<AnyStateMachine['transition']>[2];

/**
 * XState's `transition()` builds a throw-away actor on every call (about ten times the cost of
 * the transition itself). This does what it does with one inert scope per machine, reused: the
 * scope only collects actions, and our machines spawn no children that a reused system could
 * confuse. `pure-step.test.ts` checks the results equal `transition()`'s.
 */
const scopes = new WeakMap<AnyStateMachine, { scope: ActorScope; sink: ActionLike[] }>();

function withScope<T>(machine: AnyStateMachine, run: (scope: ActorScope) => T): [T, ActionLike[]] {
  let entry = scopes.get(machine);
  if (!entry) {
    const self = createActor(machine);
    const sink: ActionLike[] = [];
    const scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: (action: ActionLike) => void sink.push(action),
    } as unknown as ActorScope;
    entry = { scope, sink };
    scopes.set(machine, entry);
  }
  entry.sink.length = 0;
  const result = run(entry.scope);
  return [result, entry.sink.splice(0)];
}

/** Computes the initial snapshot for validated machine input. */
export function initialStep(def: ActorDefinition, input: unknown, now: number, gen: number): StepOutcome {
  const [next, actions] = withScope(def.machine, (scope) => def.machine.getInitialSnapshot(scope, input));
  return interpret(def, next, actions, {}, now, gen);
}

/** Computes the next snapshot for an event already known to be accepted. */
export function eventStep(
  def: ActorDefinition,
  snapshot: AnyMachineSnapshot,
  event: EventObject,
  timers: Record<string, TimerRecord>,
  now: number,
  gen: number,
): StepOutcome {
  const [next, actions] = withScope(def.machine, (scope) => def.machine.transition(snapshot, event, scope));
  return interpret(def, next, actions, timers, now, gen);
}

function interpret(
  def: ActorDefinition,
  next: AnyMachineSnapshot,
  actions: readonly ActionLike[],
  previousTimers: Record<string, TimerRecord>,
  now: number,
  gen: number,
): StepOutcome {
  if (next.status === 'error') {
    throw new CodedError('internal', `${def.kind} machine raised an error: ${String(next.error)}`);
  }
  const timers: Record<string, TimerRecord> = { ...previousTimers };
  const effects: StepOutcome['effects'] = [];
  for (const action of actions) {
    switch (action.type) {
      case 'xstate.emit': {
        const { event } = action.params as { event: EventObject & Record<string, unknown> };
        const { type, ...payload } = event;
        effects.push({ type, payload });
        break;
      }
      case 'xstate.raise': {
        const { event, id, delay } = action.params as { event: EventObject; id?: string; delay?: number };
        if (delay === undefined) break; // immediate raises are consumed inside the macrostep
        timers[id ?? event.type] = { event: { ...event }, dueAt: now + delay, gen };
        break;
      }
      case 'xstate.cancel': {
        const { sendId } = action.params as { sendId: string };
        delete timers[sendId];
        break;
      }
      default:
        // assign and guards are folded into `next`; machines declare no side-effecting actions.
        break;
    }
  }
  return { next, persisted: def.machine.getPersistedSnapshot(next), timers, effects };
}
