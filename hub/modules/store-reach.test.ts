/**
 * Nothing outside a module reaches into the raw actor store (ARCHITECTURE rule 12). The edge reads
 * access control through `runtime.access` and everything else through module services; a module's
 * runtime part reaches the parts of the store a module may use through its module context. Two
 * proofs:
 *
 *   the source   every file is read for what takes the store itself:
 *                  <runtime | rt | stores | ctx>.store       the object that hands out the actor store
 *                  <anything>.store.<ledger | audit | revocations | changes>    one of its parts
 *                  const { store } = <…runtime>             the same, destructured
 *                allowed only in a module's runtime folder (workers/<name>/ of a listed module,
 *                through its context) and the runtime and store wiring (below)
 *   the running  a runtime of every module, started on a store: nothing reachable from the runtime
 *                (its services, feeds, access port, …) is the store, its change log or its ledger,
 *                or anything that commits; a module's context lends only its narrow view
 *
 * Tests and their support files (`*.test.ts`, `*.test-support.ts`, store contract suites) are not
 * read: they open the store they start a runtime on and keep their own handle, on purpose.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { silentLogger } from '../../workers/logger.js';
import type { ModuleContext, ModuleStore, RuntimeModule } from '../../workers/modules/runtime-module.js';
import { openSqliteReadModels } from '../../workers/projections/sqlite-read-models.js';
import type { Runtime } from '../../workers/runtime.js';
import { startRuntime } from '../../workers/runtime.js';
import type { ActorStore } from '../../workers/store/actor-store.js';
import { openSqliteActorStore } from '../../workers/store/sqlite-actor-store.js';
import { createSqliteAgendaBackend } from '../../workers/timers/sqlite-job-repository.js';
import { VENUE_MODULES } from './index.js';
import type { EdgeContext } from './venue-module.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TREES = ['hub', 'workers', 'machines', 'clients', 'scripts', 'load-tests'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'k6']);
const NOT_READ = /\.(test|test-support|contract)\.tsx?$/;

/** The runtime and store wiring: these build the actor store, run its core, or replay its log. */
const STORE_WIRING: readonly string[] = [
  'workers/store/', // the store port and its adapters
  'workers/open-store.ts', // opens the store a configuration chooses
  'workers/runtime.ts', // composes the core on the store and lends modules and the edge their narrow parts
  'workers/actors/', // the actor host and durable timers (the core that commits)
  'workers/outbox/', // the outbox relay (the core that delivers effects)
  'workers/projections/', // the projector and feeds (the core's read side, folded from the change log)
  'hub/node-services.ts', // opens a node's stores and starts the runtime on them
  'hub/projections-rebuild.ts', // `npm run projections:rebuild`: replays the change log, no runtime
];

/**
 * A module's own runtime folder (`workers/<name>/` of a listed module): its runtime part reaches
 * the store's parts it may use through its module context (`ctx.store`). A hub module's folder is
 * not one: the edge has no module context, and reaches the runtime through module services.
 */
function inModuleFolder(path: string): boolean {
  return VENUE_MODULES.some((m) => path.startsWith(`workers/${m.name}/`));
}

const HOLDERS = new Set(['runtime', 'rt', 'stores', 'ctx']);
const PARTS = new Set(['ledger', 'audit', 'revocations', 'changes']);

/** The last name of an expression (`services.runtime` → `runtime`). */
function lastName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

/** The lines (1-based) of `source` that reach into the raw actor store, with the text reaching. */
function storeReaches(source: string, fileName = 'source.ts'): Array<{ line: number; text: string }> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ line: number; text: string }> = [];
  const add = (node: ts.Node) => found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.getText(file) });
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'store') {
      const holder = lastName(node.expression);
      const parent = node.parent;
      const part = ts.isPropertyAccessExpression(parent) && parent.expression === node && PARTS.has(parent.name.text);
      if (part) add(parent);
      else if (holder !== undefined && HOLDERS.has(holder)) add(node);
    }
    if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer !== undefined) {
      const holder = lastName(node.initializer);
      const takesStore = node.name.elements.some((e) => (e.propertyName ?? e.name).getText(file) === 'store');
      if (takesStore && holder !== undefined && HOLDERS.has(holder)) add(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every source file of the trees, relative to the root with forward slashes. */
function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(join(dir, entry.name));
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !NOT_READ.test(entry.name)) {
        out.push(relative(ROOT, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  for (const tree of TREES) walk(join(ROOT, tree));
  return out.sort();
}

describe('reaches into the raw actor store', () => {
  const files = sourceFiles();
  const reaching = new Map(files.map((path) => [path, storeReaches(readFileSync(join(ROOT, path), 'utf8'), path)] as const).filter(([, hits]) => hits.length > 0));

  it('finds a reach by the runtime, the opened stores or a module context, through one of the store parts, or destructured', () => {
    const source = [
      'const a = runtime.store;',
      'const b = services.runtime.store.ledger.level("x");',
      'await target.store.audit.append(row);',
      'const c = stores.store;',
      'const { store, host } = t.runtime;',
      'const d = ctx.store;',
      '// runtime.store in a comment, and in a string:',
      'const e = "runtime.store";',
      'const f = config.store.mailbox;',
      'const g = runtime.access.revocations;',
      'const h = deps.store;',
    ].join('\n');
    expect(storeReaches(source).map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads the source trees', () => {
    expect(files).toContain('hub/server.ts');
    expect(files).toContain('workers/runtime.ts');
    expect(files.some((f) => NOT_READ.test(f))).toBe(false);
  });

  it("finds none outside the modules' runtime folders and the store wiring", () => {
    const outside = [...reaching]
      .filter(([path]) => !inModuleFolder(path) && !STORE_WIRING.some((w) => path === w || (w.endsWith('/') && path.startsWith(w))))
      .flatMap(([path, hits]) => hits.map((hit) => `${path}:${hit.line}  ${hit.text}`));
    expect(outside, 'use runtime.access, a module service, or the module context instead').toEqual([]);
  });

  it('keeps the edge and both mains off the raw store', () => {
    for (const path of ['hub/server.ts', 'hub/main.ts', 'hub/worker-main.ts']) expect(reaching.get(path) ?? [], path).toEqual([]);
  });
});

/**
 * Every object reachable from `root` through own properties and getters (a getter that throws, such
 * as the service of a module not running, leads nowhere), `depth` steps at most, with its path.
 */
function reachable(root: object, depth: number): Map<object, string> {
  const seen = new Map<object, string>([[root, '']]);
  let frontier: Array<[object, string]> = [[root, '']];
  for (let step = 0; step < depth; step++) {
    const next: Array<[object, string]> = [];
    for (const [value, path] of frontier) {
      for (const key of Reflect.ownKeys(value)) {
        let child: unknown;
        try {
          child = (value as Record<PropertyKey, unknown>)[key];
        } catch {
          continue;
        }
        if ((typeof child !== 'object' && typeof child !== 'function') || child === null || seen.has(child)) continue;
        const at = `${path}.${String(key)}`;
        seen.set(child, at);
        next.push([child, at]);
      }
    }
    frontier = next;
  }
  return seen;
}

/** Whatever looks like an actor store: it commits or loads snapshots, or hands out the outbox. */
function looksLikeTheStore(value: object): boolean {
  const parts = value as Partial<Record<'commit' | 'load' | 'pendingEffects' | 'dueTimers', unknown>>;
  return typeof parts.commit === 'function' || typeof parts.load === 'function' || typeof parts.pendingEffects === 'function' || typeof parts.dueTimers === 'function';
}

describe('the actor store, once a runtime runs on it', () => {
  it('is not on the types a runtime, the edge or a module sees', () => {
    expectTypeOf<Runtime>().not.toHaveProperty('store');
    expectTypeOf<EdgeContext['runtime']>().not.toHaveProperty('store');
    expectTypeOf<ModuleContext['store']>().toEqualTypeOf<ModuleStore>();
    for (const part of ['commit', 'load', 'changes', 'pendingEffects', 'ackEffects', 'dueTimers', 'close'] as const) {
      expectTypeOf<ModuleStore>().not.toHaveProperty(part);
    }
  });

  it('is reachable from nothing the runtime hands out, and a module context lends only its view', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vh-store-reach-'));
    const file = join(dir, 'venue-hub.db');
    const store: ActorStore = openSqliteActorStore({ file });
    const contexts: ModuleContext[] = [];
    const probe: RuntimeModule<undefined> = { name: 'probe', start: (ctx) => (contexts.push(ctx), { service: undefined }) };
    const rt = await startRuntime({
      store,
      jobsBackend: createSqliteAgendaBackend({ file }),
      log: silentLogger,
      timerPollMs: 1_000,
      modules: [...VENUE_MODULES, probe],
      readSide: { readModels: openSqliteReadModels({ file }), timeZone: 'Asia/Riyadh' },
    });
    try {
      const forbidden = new Map<object, string>([
        [store, 'the store'],
        [store.changes, 'its change log'],
        [store.ledger, 'its ledger'],
      ]);
      const fromRuntime = reachable(rt, 5);
      const leaks = [...fromRuntime].flatMap(([value, path]) => (forbidden.has(value) ? [`runtime${path}: ${forbidden.get(value) ?? ''}`] : looksLikeTheStore(value) ? [`runtime${path}: commits or loads`] : []));
      expect(leaks).toEqual([]);
      // Enough of the runtime was walked to mean something: its access port, services and feeds.
      expect(fromRuntime.get(rt.access.audit)).toBe('.access.audit');
      expect([...fromRuntime.values()]).toEqual(expect.arrayContaining(['.bookings', '.lockers', '.feeds', '.projector']));

      const [ctx] = contexts;
      if (ctx === undefined) throw new Error('the probe module did not start');
      expect(ctx.store).not.toBe(store);
      expect(Object.keys(ctx.store).sort()).toEqual(['audit', 'counter', 'eventLog', 'ledger', 'revocations']);
      const fromContext = reachable(ctx, 3);
      expect([...fromContext].filter(([value]) => value === store || value === store.changes || looksLikeTheStore(value)).map(([, path]) => `ctx${path}`)).toEqual([]);
    } finally {
      await rt.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
