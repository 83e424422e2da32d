/**
 * Nothing outside a module's own folder reaches into the raw actor store (ARCHITECTURE rule 12).
 * The edge reads access control through `runtime.access`, modules reach the store through their
 * module context; this test reads every source file and finds what still takes the store itself.
 *
 *   a reach:  <runtime | rt | stores | ctx>.store       the object that hands out the actor store
 *             <anything>.store.<ledger | audit | revocations | changes>    one of its parts
 *             const { store } = <…runtime>             the same, destructured
 *
 *   allowed:  a module's folders (hub/modules/<name>/, workers/<name>/ of every listed module)
 *             the runtime and store wiring (below: the files that build the store or run its core)
 *             the remaining debt (below: each place named, with why it still does; the test fails
 *             when one no longer reaches, so the list only shrinks)
 *
 * Tests and their support files (`*.test.ts`, `*.test-support.ts`, store contract suites) are not
 * read: they set up floors and assert on the store directly, on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { VENUE_MODULES } from './index.js';

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
 * What still reaches into the raw store from outside a module's folder, and why. Each entry is a
 * debt to pay by giving the caller a narrow port (as `runtime.access` did for the edge).
 */
const REMAINING: Readonly<Record<string, string>> = {
  // Without a catalog service (a bare runtime), the demo seed defines slot capacity in the ledger
  // itself; the catalog module should own "define the demo slots".
  'hub/demo-seed.ts': 'demo slots defined in the ledger when no catalog service is wired',
  // Harnesses that measure or crash the store itself: they stand where a main stands.
  'load-tests/bench-actors.ts': 'the actor benchmark defines its hot slot and reads its level in the ledger',
  'workers/fixtures/crash-node.ts': 'the crash fixture process defines a slot and reads a booking back from the store',
};

/**
 * Inside its own folder a module may reach its part of the store, but a hub module can only do so
 * through the runtime's public `store` (it has no module context): named here so that it shows.
 * The bookings module reads slot levels for `availability:*` and `POST /api/holds` from the ledger
 * and a booking's event log for the admin history route.
 */
const HUB_MODULES_THROUGH_RUNTIME: readonly string[] = ['hub/modules/bookings/index.ts'];

/** A module's own folders: the hub's (every folder under hub/modules/) and the runtime's of listed modules. */
function inModuleFolder(path: string): boolean {
  if (path.startsWith('hub/modules/') && path.slice('hub/modules/'.length).includes('/')) return true;
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

  it('finds none outside the modules, the store wiring and the named debt', () => {
    const outside = [...reaching]
      .filter(([path]) => !inModuleFolder(path) && !STORE_WIRING.some((w) => path === w || (w.endsWith('/') && path.startsWith(w))) && REMAINING[path] === undefined)
      .flatMap(([path, hits]) => hits.map((hit) => `${path}:${hit.line}  ${hit.text}`));
    expect(outside, 'use runtime.access, a module service, or the module context instead').toEqual([]);
  });

  it('names only debt that is still there (remove an entry once it is paid)', () => {
    const paid = Object.keys(REMAINING).filter((path) => !reaching.has(path));
    expect(paid).toEqual([]);
  });

  it("names the hub modules that take the runtime's store in their own folder", () => {
    const through = [...reaching].filter(([path, hits]) => path.startsWith('hub/modules/') && hits.some((hit) => /\bruntime\.store\b/.test(hit.text))).map(([path]) => path);
    expect(through).toEqual(HUB_MODULES_THROUGH_RUNTIME);
  });

  it('keeps the edge and both mains off the raw store', () => {
    for (const path of ['hub/server.ts', 'hub/main.ts', 'hub/worker-main.ts']) expect(reaching.get(path) ?? [], path).toEqual([]);
  });
});
