/**
 * Keeps the read models up to date from the change log, and rebuilds them.
 *
 *   kick(kind) (a commit on this node, folded KICK_DELAY_MS later with those after it) / poll (commits of other processes)
 *     └▶ for each projection (of the kicked kinds; every one on a poll or a catch-up): cursor ─▶ changes.since(cursor, batch, kinds) ─▶ spec.row() each
 *                              ─▶ models.apply(rows, new cursor)   one atomic write per batch
 *   a change whose row() throws: the rows before it are applied, the projection stops at the change
 *   before it (never skips it), a coded alert is raised; a restart resumes from that cursor.
 *
 *   rebuild(spec): new generation ─▶ replay the log from 0 (progress) ─▶ catch up to the head
 *                  ─▶ promote (the live generation served every read until then)
 *
 * Several processes may project into one store: a batch whose cursor another process has already
 * passed is skipped, and rows never go back to an older version, so duplicates are harmless.
 *
 * A pass that finds nothing of a projection's kinds does not write its cursor (one write
 * transaction for every projection on every commit of any kind): the projector remembers how far
 * it has read and writes the cursor alone once it trails by CURSOR_WRITE_EVERY changes, or when
 * asked to catch up (a feed's snapshot hands that cursor to a screen). A stored cursor that trails
 * only over changes of other kinds says the same about the rows: none of its kinds came since.
 */
import type { Logger } from '../logger.js';
import type { ChangeLog, ChangeRecord } from '../store/actor-store.js';
import type { Generation, ReadModelSpec, ReadModelStore, RowWrite } from './read-model.js';

/** A projection that stopped on a change it could not fold. */
export interface ProjectionFailure {
  projection: string;
  /** The change it stopped at (its cursor is the one before). */
  seq: number;
  message: string;
}

export interface ProjectorDeps {
  changes: ChangeLog;
  models: ReadModelStore;
  specs: readonly ReadModelSpec[];
  log: Logger;
  /** Told once per stopped projection (the runtime raises an alert on the dashboard). */
  onFailure?: (failure: ProjectionFailure) => void;
  /** Told after each applied batch (live screens recompute summaries). */
  onApplied?: (projection: string, changes: readonly ChangeRecord[]) => void;
  /** How often commits of other processes are looked for, ms (default 500). */
  pollMs?: number;
  /** How long a kick waits for more commits to fold in the same pass, ms (default KICK_DELAY_MS). */
  kickDelayMs?: number;
  /** Changes per batch (default 500). */
  batch?: number;
}

/** Progress of a rebuild, for the operator. */
export interface RebuildProgress {
  projection: string;
  applied: number;
  head: number;
  cursor: number;
}

export interface Projector {
  /** Catches every projection up once, then keeps them up to date. */
  start(): Promise<void>;
  /** A change of `kind` (any kind when absent) was committed here: project it soon. */
  kick(kind?: string): void;
  /** Resolves once every projection has applied every change up to now. */
  catchUp(): Promise<void>;
  /** How many changes each projection is behind the log's head (a number for metrics). */
  lag(): Promise<Record<string, number>>;
  /** The projections that stopped, and why. */
  failures(): readonly ProjectionFailure[];
  stop(): Promise<void>;
}

/**
 * A kick folds what was committed this long after it, in one pass: a gate lane's commits arrive a
 * few milliseconds apart, and a pass per commit paid the pass's reads and a write transaction of
 * its own (with its WAL commit and the rows' index pages) for one or two rows. Lists that are read
 * without a catch-up trail by this much more; a feed's snapshot catches up first.
 */
export const KICK_DELAY_MS = 25;

/** A live pass writes a cursor that moved over other kinds only once it trails the read position by this many changes. */
export const CURSOR_WRITE_EVERY = 1_000;

/** Where a fold starts and whether it may leave a cursor-only move unwritten. */
interface FoldFrom {
  /** How far this process has already folded the generation (at or past its stored cursor). */
  read?: number;
  /** Leave the stored cursor where it is when nothing of the kinds came and it trails by less than CURSOR_WRITE_EVERY. */
  lazyCursor?: boolean;
}

/** Folds changes from the generation's cursor into it until the log's head; returns how far it read. */
async function fold(
  deps: Pick<ProjectorDeps, 'changes' | 'models'>,
  spec: ReadModelSpec,
  generation: Generation,
  batch: number,
  onBatch?: (changes: readonly ChangeRecord[], cursor: number) => void,
  from: FoldFrom = {},
): Promise<{ cursor: number; failure?: ProjectionFailure }> {
  let stored = await deps.models.cursorOf(generation);
  let cursor = Math.max(stored, from.read ?? 0);
  for (;;) {
    // Read the head first: an empty answer below then proves nothing of these kinds is in (cursor, head].
    const head = await deps.changes.head();
    const changes = await deps.changes.since(cursor, batch, spec.kinds);
    const writes = new Map<string, RowWrite>();
    let last = cursor;
    for (const change of changes) {
      let row;
      try {
        row = spec.row(change);
      } catch (error) {
        if (writes.size > 0 || last > cursor) await deps.models.apply(spec, generation, [...writes.values()], last);
        return { cursor: last, failure: { projection: spec.name, seq: change.seq, message: error instanceof Error ? error.message : String(error) } };
      }
      const key = `${change.kind}/${change.id}`;
      const known = writes.get(key);
      if (!known || known.version < change.version) writes.set(key, { key, version: change.version, row });
      last = change.seq;
    }
    const next = changes.length < batch ? Math.max(last, head) : last;
    if (next === cursor && next === stored) return { cursor };
    // Nothing of these kinds since the cursor (an empty answer is always the last batch).
    if (changes.length === 0 && from.lazyCursor === true && next - stored < CURSOR_WRITE_EVERY) return { cursor: next };
    await deps.models.apply(spec, generation, [...writes.values()], next);
    stored = next;
    onBatch?.(changes, next);
    cursor = next;
    if (changes.length < batch) return { cursor };
  }
}

/**
 * Rebuilds one projection from the change log into a new generation while the live one keeps
 * serving, then makes it live. `progress` is called after every batch.
 */
export async function rebuildProjection(
  deps: Pick<ProjectorDeps, 'changes' | 'models'>,
  spec: ReadModelSpec,
  progress?: (p: RebuildProgress) => void,
  batch = 1_000,
): Promise<{ cursor: number; applied: number }> {
  const generation = await deps.models.startGeneration(spec);
  let applied = 0;
  const head = await deps.changes.head();
  const folded = await fold(deps, spec, generation, batch, (changes, cursor) => {
    applied += changes.length;
    progress?.({ projection: spec.name, applied, head, cursor });
  });
  if (folded.failure) throw new Error(`projection ${spec.name} stopped at change ${folded.failure.seq}: ${folded.failure.message}`);
  await deps.models.promote(generation);
  return { cursor: folded.cursor, applied };
}

/** Creates the projector of one process. */
export function createProjector(deps: ProjectorDeps): Projector {
  const batch = deps.batch ?? 500;
  const failed = new Map<string, ProjectionFailure>();
  /** How far this process has folded each generation (by table), at or past its stored cursor. */
  const read = new Map<string, number>();
  let running: Promise<void> | undefined;
  let again = false;
  let writeCursors = false;
  /** The kinds the next pass folds: the projections of other kinds wait for a poll, a catch-up or a kick of theirs. */
  let wanted: Set<string> | 'all' | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let kicked = false;

  function want(kinds: string | 'all'): void {
    if (wanted === 'all') return;
    if (kinds === 'all') wanted = 'all';
    else {
      wanted ??= new Set();
      wanted.add(kinds);
    }
  }

  async function runOnce(lazyCursor: boolean, only: Set<string> | 'all' | undefined): Promise<void> {
    for (const spec of deps.specs) {
      if (failed.has(spec.name) || stopped) continue;
      if (only !== 'all' && !spec.kinds.some((kind) => only?.has(kind) === true)) continue;
      let generation = await deps.models.live(spec);
      if (generation.version !== spec.version) {
        deps.log.info('read model is of an older version; rebuilding it', { projection: spec.name, from: generation.version, to: spec.version });
        await rebuildProjection(deps, spec);
        generation = await deps.models.live(spec);
      }
      const from = read.get(generation.table);
      const folded = await fold(deps, spec, generation, batch, (changes) => deps.onApplied?.(spec.name, changes), { ...(from === undefined ? {} : { read: from }), lazyCursor });
      read.set(generation.table, folded.cursor);
      if (folded.failure) {
        failed.set(spec.name, folded.failure);
        deps.log.error('projection stopped: a change could not be applied; it resumes from its cursor after a restart', { ...folded.failure });
        deps.onFailure?.(folded.failure);
      }
    }
  }

  /**
   * One pass at a time; a kick during a pass runs one more pass after it. `kinds`: the projections
   * to add to the next pass (none: those already asked for); `writeAll`: that pass writes every moved cursor.
   */
  function run(kinds?: string | 'all', writeAll = false): Promise<void> {
    if (kinds !== undefined) want(kinds);
    writeCursors ||= writeAll;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        const lazyCursor = !writeCursors;
        const only = wanted;
        writeCursors = false;
        wanted = undefined;
        try {
          await runOnce(lazyCursor, only);
        } catch (error) {
          deps.log.warn('projection pass failed; retrying', { error: String(error) });
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    async start() {
      await run('all');
      timer = setInterval(() => void run('all'), deps.pollMs ?? 500);
      timer.unref();
    },
    kick(kind) {
      if (stopped) return;
      want(kind ?? 'all');
      if (kicked) return;
      kicked = true;
      setTimeout(() => {
        kicked = false;
        void run();
      }, deps.kickDelayMs ?? KICK_DELAY_MS).unref();
    },
    async catchUp() {
      await running;
      await run('all', true);
    },
    async lag() {
      const head = await deps.changes.head();
      const out: Record<string, number> = {};
      for (const spec of deps.specs) {
        const generation = await deps.models.live(spec);
        out[spec.name] = Math.max(0, head - Math.max(await deps.models.cursorOf(generation), read.get(generation.table) ?? 0));
      }
      return out;
    },
    failures: () => [...failed.values()],
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
