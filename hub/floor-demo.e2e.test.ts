/**
 * The venue floor against a real hub process started the way `npm start` starts it (hub/main.ts,
 * demo venue seeded, CHECKOUT_GRACE_MINUTES=0 so a visit closes as soon as the party is out), with
 * the demo tokens the node prints, driven only through the command lines a person runs from the
 * README:
 *
 *   npm run demo:floor -- --url … --admin-token … --visitor-token … --wait-checkout
 *     ─▶ exit 0: two tickets bought and checked in (QR and band), the locker opens for band A and
 *        refuses band B, both exit, the booking is checked out
 *     ─▶ the shared SQLite store agrees: booking checked_out, locker free with one accepted opening,
 *        both bands deactivated (returned), each ticket entered and exited once
 *
 *   npm run gate / npm run locker, one command at a time, with a locker bank listening on the side
 *     ─▶ admitted, a large locker claimed, opened by its band (the listening bank hears it), refused
 *        for another band, exited, and the locker freed at check-out
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloorDemoSummary } from '../clients/devices/floor-demo.js';
import { connectGate, linkBandOn } from '../clients/devices/gate-simulator.js';
import { buyTickets, issueDevice, openActivityNow, pollUntil } from '../clients/devices/visitor-flow.js';
import { REPO_ROOT, startHubNode } from '../load-tests/harness/index.js';
import type { HubNode } from '../load-tests/harness/index.js';
import { sqliteFile } from '../workers/open-store.js';
import { openSqliteActorStore } from '../workers/store/sqlite-actor-store.js';
import type { ActorStore } from '../workers/store/actor-store.js';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

let node: HubNode;
let dataDir: string;
let store: ActorStore;
let admin: string;
let visitor: string;
const children = new Set<ChildProcess>();

/** The environment of a command a person runs (without vitest's loader hooks). */
function cliEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env['NODE_OPTIONS'];
  return env;
}

/** Runs `npm run -s <script> -- …args` in the repository and collects its output. */
function npmRun(script: string, args: readonly string[], timeoutMs = 60_000): Promise<Finished> {
  return collect(spawn('npm', ['run', '-s', script, '--', ...args], { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] }), timeoutMs);
}

function collect(child: ChildProcess, timeoutMs: number): Promise<Finished> {
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`command did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON lines a device command printed. */
const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** An actor as the hub committed it in the shared store. */
async function stored(kind: string, id: string): Promise<{ value: unknown; context: Record<string, unknown> }> {
  const record = await store.load(kind, id);
  const state = record?.state as { value?: unknown; context?: Record<string, unknown> } | undefined;
  return { value: state?.value, context: state?.context ?? {} };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vh-floor-'));
  node = await startHubNode({ dataDir, port: 0, seedDemo: true, env: { CHECKOUT_GRACE_MINUTES: '0' } });
  if (node.adminToken === undefined || node.visitorToken === undefined) throw new Error(`the node printed no demo tokens:\n${node.output()}`);
  admin = node.adminToken;
  visitor = node.visitorToken;
  store = openSqliteActorStore({ file: sqliteFile(dataDir) });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await store?.close();
  await node?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('venue floor against hub/main.ts', () => {
  it('npm run demo:floor checks the demo visitor in and out, and the locker opens for the right band only', async () => {
    const run = await npmRun('demo:floor', ['--url', node.url, '--admin-token', admin, '--visitor-token', visitor, '--wait-checkout', '--checkout-timeout', '60']);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const line = /^summary (\{.*\})$/m.exec(run.stdout)?.[1];
    expect(line, run.stdout).toBeDefined();
    const summary = JSON.parse(line ?? '{}') as FloorDemoSummary;
    const [t1, t2] = summary.tickets as [string, string];
    const [bandA, bandB] = summary.bands;

    // What the demo printed: both admitted, band A opened, band B refused, both out, checked out.
    expect(run.stdout).toMatch(new RegExp(`QR of ticket 1: admitted ${t1} .*party of 2`));
    expect(run.stdout).toMatch(new RegExp(`band B: +admitted ${t2} `));
    expect(run.stdout).toMatch(`band A opens ${summary.lockerId}`);
    expect(run.stdout).toMatch(`band B refused at ${summary.lockerId}: locker.not_yours`);
    expect(run.stdout).toMatch(`exited ${t1}`);
    expect(run.stdout).toMatch(`exited ${t2}`);
    expect(summary).toMatchObject({ checkedOut: true, booking: 'checked_out', lockerId: expect.stringMatching(/^L-0(0[1-9]|[1-3]\d|40)$/) });
    expect(summary.bookingStates).toEqual(['confirmed', 'checked_in', 'leaving', 'checked_out']);
    // The locker bank heard exactly one unlock: its locker, band A.
    expect(summary.unlocks).toEqual([{ lockerId: summary.lockerId, bandUid: bandA, at: expect.any(Number) }]);

    // The store agrees.
    expect((await stored('booking', summary.bookingId)).value).toBe('checked_out');
    const locker = await stored('locker', summary.lockerId);
    expect(locker.value).toBe('free');
    expect(locker.context['bandUid']).toBeUndefined();
    const lockerLog = await store.eventLog('locker', summary.lockerId);
    // Band B's refused opening wrote nothing: the one opening is band A's.
    expect(lockerLog.map((e) => e.eventType).filter((type) => type !== 'locker.created')).toEqual(['locker.assign', 'locker.open', 'locker.release']);
    // The bands are deactivated by their own effects after the checkout the demo waited for.
    await pollUntil('both bands deactivated', async () => (await Promise.all([bandA, bandB].map(async (band) => (await stored('wristband', band)).value))).every((value) => value === 'deactivated'), 20_000, 100);
    for (const band of [bandA, bandB]) {
      const stateOfBand = await stored('wristband', band);
      expect(stateOfBand, band).toMatchObject({ value: 'deactivated', context: { reason: 'returned' } });
    }
    for (const ticketId of [t1, t2]) {
      const passages = (await store.eventLog('ticket', ticketId)).filter((e) => e.eventType === 'ticket.scan').map((e) => e.to);
      expect(passages, ticketId).toEqual(['inside', 'valid']);
    }
  }, 120_000);

  it('npm run gate and npm run locker do it one command at a time, with a locker bank listening', async () => {
    const activity = await openActivityNow({ url: node.url, adminToken: admin, activityId: `floor-cli-${process.pid}`, zone: 'waterpark' });
    const [ticket] = await buyTickets({ url: node.url, visitorToken: visitor, bookingId: `bk-floor-cli-${process.pid}`, slotId: activity.slotId, ticketTypeId: activity.ticketTypeId, qty: 1 });
    if (ticket === undefined) throw new Error('no ticket');
    const gate = await issueDevice(node.url, admin, { deviceId: 'cli-gate', deviceKind: 'gate', scope: { zone: 'waterpark', gateId: 'cli_gate' } });
    const bank = await issueDevice(node.url, admin, { deviceId: 'cli-lockers', deviceKind: 'locker', scope: { zone: 'waterpark' } });
    const band = `CLI-BAND-${process.pid}`;

    // A bank listening on the side: a plain node process, stopped by its pid.
    const listener = spawn(process.execPath, ['--import', 'tsx', 'clients/devices/locker-simulator.ts', '--url', node.url, '--token', bank.token, 'listen'], {
      cwd: REPO_ROOT,
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listened = collect(listener, 90_000);
    let listenerErr = '';
    listener.stderr?.on('data', (chunk: Buffer) => (listenerErr += chunk.toString()));
    await pollUntil('the listening bank to connect', () => listenerErr.includes('listening for locker:unlock'), 20_000);

    const entry = await npmRun('gate', ['--url', node.url, '--token', gate.token, '--direction', 'entry', ticket.token]);
    expect(entry.code, entry.stderr).toBe(0);
    expect(jsonLines(entry.stdout)).toEqual([{ ok: true, data: expect.objectContaining({ verdict: 'admitted', ticketId: ticket.ticketId, partySize: 1 }) }]);

    // The gate activates the band on the ticket it read.
    const gateSocket = await connectGate(node.url, gate.token);
    try {
      expect(await linkBandOn(gateSocket, band, ticket.token)).toMatchObject({ ok: true, data: { state: 'active' } });
    } finally {
      gateSocket.close();
    }

    const claim = await npmRun('locker', ['--url', node.url, '--token', bank.token, 'claim', '--band', band, '--size', 'large']);
    expect(claim.code, claim.stderr).toBe(0);
    const [claimed] = jsonLines(claim.stdout) as Array<{ ok: boolean; data: { id: string; state: string; context: { bandUid: string } } }>;
    expect(claimed).toMatchObject({ ok: true, data: { state: 'assigned', context: { bandUid: band } } });
    const lockerId = claimed?.data.id ?? '';
    expect(lockerId).toMatch(/^L-0(4[1-9]|50)$/);

    const open = await npmRun('locker', ['--url', node.url, '--token', bank.token, 'open', '--locker', lockerId, '--band', band]);
    expect(open.code, open.stderr).toBe(0);
    expect(jsonLines(open.stdout)).toEqual([
      { ok: true, data: { lockerId, bandUid: band, at: expect.any(Number) } },
      { event: 'locker:unlock', lockerId, bandUid: band, at: expect.any(Number) },
    ]);
    const wrong = await npmRun('locker', ['--url', node.url, '--admin-token', admin, 'open', '--locker', lockerId, '--band', 'NOT-THIS-BAND']);
    expect(wrong.code).toBe(1);
    expect(jsonLines(wrong.stdout)).toEqual([{ ok: false, code: 'locker.not_yours', message: expect.any(String) }]);

    const exit = await npmRun('gate', ['--url', node.url, '--token', gate.token, '--direction', 'exit', ticket.token]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(jsonLines(exit.stdout)).toEqual([{ ok: true, data: { verdict: 'exited', ticketId: ticket.ticketId, bookingId: ticket.bookingId } }]);

    // The grace is 0: the visit closes at once and frees the locker.
    // The band is deactivated by its own effect after the checkout: wait for all three.
    await pollUntil(
      'the booking to be checked out, its locker freed and its band deactivated',
      async () =>
        (await stored('booking', ticket.bookingId)).value === 'checked_out' && (await stored('locker', lockerId)).value === 'free' && (await stored('wristband', band)).value === 'deactivated',
      20_000,
      100,
    );
    expect(await stored('wristband', band)).toMatchObject({ value: 'deactivated' });

    listener.kill('SIGTERM');
    const heard = await listened;
    expect(heard.code, heard.stderr).toBe(0);
    expect(jsonLines(heard.stdout)).toEqual([{ event: 'locker:unlock', lockerId, bandUid: band, at: expect.any(Number) }]);
  }, 120_000);
});
