/**
 * Dependencies point inward: machines ← workers ← hub; clients see only the wire contract in
 * machines; load-tests use the client SDK. This test reads every import and enforces that.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, relative, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const FOLDERS = ['machines', 'workers', 'hub', 'clients', 'load-tests'] as const;
type Folder = (typeof FOLDERS)[number];

/** Which of our folders each folder may import from (itself always allowed). */
const ALLOWED: Record<Folder, readonly Folder[]> = {
  machines: [],
  workers: ['machines'],
  hub: ['machines', 'workers'],
  clients: ['machines'],
  'load-tests': ['clients', 'machines'],
};
/** Packages the pure kernel may use: no I/O, no clock. */
const MACHINE_PACKAGES = new Set(['xstate', 'zod', 'vitest']);
/** Tests drive the product from outside, like a client would: they may also use the SDK and the harness. */
const TEST_MAY_ALSO: Record<Folder, readonly Folder[]> = {
  machines: [],
  workers: [],
  hub: ['clients', 'load-tests'],
  clients: [],
  'load-tests': [],
};
/** Files allowed to reach below the edge, with the reason. */
const EXCEPTIONS: Record<string, string> = {
  'load-tests/bench-actors.ts': 'benchmarks the actor runtime itself, below the socket edge',
  'load-tests/bench-projections.ts': 'seeds the store and folds the read models below the socket edge (subscriptions go through a hub process)',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function imports(source: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"`;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

describe('dependency direction', () => {
  for (const folder of FOLDERS) {
    it(`${folder}/ imports only what it may`, () => {
      let files: string[] = [];
      try {
        files = sourceFiles(join(ROOT, folder));
      } catch {
        return; // folder not present yet
      }
      const violations: string[] = [];
      for (const file of files) {
        const rel = relative(ROOT, file);
        if (EXCEPTIONS[rel]) continue;
        for (const spec of imports(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = relative(ROOT, normalize(join(dirname(file), spec)));
            const top = target.split('/')[0] as Folder;
            const isTest = /\.test(-support)?\.ts$/.test(rel) || rel.includes('.test-support');
            const allowed = ALLOWED[folder].includes(top) || (isTest && TEST_MAY_ALSO[folder].includes(top));
            if (top !== folder && !allowed) violations.push(`${rel} → ${target}`);
          } else if (folder === 'machines') {
            const pkg = spec.startsWith('node:') ? spec : spec.split('/')[0]!;
            const isTest = rel.endsWith('.test.ts') || rel.includes('test-support');
            if (!MACHINE_PACKAGES.has(pkg) && !(isTest && pkg.startsWith('node:'))) violations.push(`${rel} → ${spec}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
