/**
 * kill -9 between commit and effect delivery: a real child process commits bookings (with
 * effects and hold timers) and is killed; a fresh process on the same files must deliver every
 * committed effect exactly once and fire every timer at its original absolute time.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteActorStore } from './store/sqlite-actor-store.js';

const children: ChildProcessWithoutNullStreams[] = [];

function startNode(dataDir: string, mode: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/fixtures/crash-node.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, MODE: mode, ...extra },
  });
  children.push(child);
  const lines: unknown[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line));
    waiters.splice(0).forEach((w) => w());
  });
  const next = <T>(pick: (line: unknown) => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        for (const line of lines) {
          const found = pick(line);
          if (found !== undefined) return resolve(found);
        }
        if (child.exitCode !== null) return reject(new Error(`node exited ${child.exitCode}: ${stderr}`));
        waiters.push(check);
      };
      child.once('exit', () => check());
      check();
    });
  const kill9 = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { next, kill9 };
}

async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('kill -9 of a node', () => {
  it('delivers every committed effect exactly once and fires every timer at its original time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vh-crash-'));
    try {
      const first = startNode(dir, 'commit', { COUNT: '20', HOLD_MS: '4000' });
      const committed = await first.next((l) => (l as { committed?: Record<string, number> }).committed);
      await first.kill9();
      const ids = Object.keys(committed);
      expect(ids).toHaveLength(20);

      const store = openSqliteActorStore({ file: join(dir, 'venue-hub.db') });
      const pending = await store.pendingEffects(1000);
      expect(pending.filter((e) => e.type === 'notify')).toHaveLength(20); // nothing delivered before the kill

      const second = startNode(dir, 'recover');
      await second.next((l) => ((l as { ready?: boolean }).ready ? true : undefined));
      const receipts = new Database(join(dir, 'receipts.db'), { readonly: true });
      const count = () => (receipts.prepare('SELECT COUNT(*) AS n, MAX(attempts) AS most FROM receipts').get() as { n: number; most: number });
      // held notices (20) + expired notices (20), each recorded once
      const final = await until(count, (c) => c.n === 40);
      expect(final).toEqual({ n: 40, most: 1 });

      for (const id of ids) {
        const log = await store.eventLog('booking', id);
        const expiry = log.find((e) => e.to === 'expired');
        expect(expiry, id).toBeDefined();
        const dueAt = committed[id] ?? 0;
        expect(expiry!.at).toBeGreaterThanOrEqual(dueAt);
        expect(expiry!.at - dueAt).toBeLessThan(3000); // fired at its time (agenda polls every 100 ms), not at the sweeper's
      }
      expect(await until(() => store.ledger.level('slot_crash'), (level) => level?.taken === 0)).toMatchObject({ taken: 0 });
      expect(await store.pendingEffects(1000, ['notify', 'capacity.release', 'capacity.confirm'])).toEqual([]);
      receipts.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-delivers an effect whose handler ran but was not acknowledged, and the handler keeps it once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vh-crash-'));
    try {
      const seed = startNode(dir, 'commit', { COUNT: '1', HOLD_MS: '60000' });
      await seed.next((l) => (l as { committed?: unknown }).committed);
      await seed.kill9();
      const staller = startNode(dir, 'stall');
      const handled = await staller.next((l) => (l as { handled?: string }).handled);
      await staller.kill9();

      const recovered = startNode(dir, 'recover');
      await recovered.next((l) => ((l as { ready?: boolean }).ready ? true : undefined));
      const store = openSqliteActorStore({ file: join(dir, 'venue-hub.db') });
      expect(await until(() => store.pendingEffects(10, ['notify']), (rows) => rows.length === 0)).toEqual([]);
      const receipts = new Database(join(dir, 'receipts.db'), { readonly: true });
      const row = await until(
        () => receipts.prepare('SELECT attempts FROM receipts WHERE effect_id = ?').get(handled) as { attempts: number } | undefined,
        (r) => (r?.attempts ?? 0) >= 2,
      );
      expect(row?.attempts).toBe(2); // delivered again after the crash…
      expect(receipts.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 1 }); // …and kept once by its id
      receipts.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
