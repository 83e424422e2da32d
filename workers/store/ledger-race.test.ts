/**
 * The cross-process race: several OS processes take seats of one slot in the same SQLite
 * file at the same moment. Exactly `capacity` takes win; all others are sold out.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TakeResult } from './actor-store.js';
import { openSqliteActorStore } from './sqlite-actor-store.js';

const HOLDER = fileURLToPath(new URL('./fixtures/race-holder.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROCESSES = 3;
const TAKES_PER_PROCESS = 100;
const CAPACITY = 5;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'venue-hub-ledger-race-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Holder {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  results: Promise<TakeResult[]>;
}

/** Starts one holder process; `ready` resolves on its first line, `results` on its second and a clean exit. */
function startHolder(file: string, prefix: string): Holder {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, file, 'slot-race', prefix, String(TAKES_PER_PROCESS)], {
    cwd: REPO_ROOT,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`holder ${prefix} exited ${code}: ${stderr}`))));
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const next = await Promise.race([lines.next(), exited.then(() => ({ done: true as const, value: undefined }))]);
    if (next.done) throw new Error(`holder ${prefix} ended early: ${stderr}`);
    return next.value;
  };
  const ready = nextLine().then((line) => expect(line).toBe('ready'));
  const results = ready.then(async () => {
    const line = await nextLine();
    await exited;
    return JSON.parse(line) as TakeResult[];
  });
  return { child, ready, results };
}

it(`sells exactly ${CAPACITY} seats to ${PROCESSES} processes racing for them`, async () => {
  const file = join(dir, 'race.db');
  const setup = openSqliteActorStore({ file });
  await setup.ledger.defineSlot('slot-race', CAPACITY);
  await setup.close();

  const holders = Array.from({ length: PROCESSES }, (_, p) => startHolder(file, `p${p}`));
  try {
    await Promise.all(holders.map((h) => h.ready));
    for (const h of holders) h.child.stdin.end('go\n');
    const results = (await Promise.all(holders.map((h) => h.results))).flat();

    expect(results).toHaveLength(PROCESSES * TAKES_PER_PROCESS);
    expect(results.filter((r) => r.ok)).toHaveLength(CAPACITY);
    for (const r of results) if (!r.ok) expect(r.code).toBe('slot.sold_out');
  } finally {
    for (const h of holders) if (h.child.exitCode === null) h.child.kill();
  }

  const check = openSqliteActorStore({ file });
  expect(await check.ledger.level('slot-race')).toEqual({ slotId: 'slot-race', capacity: CAPACITY, taken: CAPACITY, remaining: 0 });
  await check.close();
});
