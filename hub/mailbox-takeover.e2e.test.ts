/**
 * The local mailbox shows every code sent, so reading it is signing in as anyone. The takeover:
 * ask a sign-in code for the seeded admin (or ADMIN_EMAIL), read it on /mailbox, sign in as
 * super_admin. Refused in every start mode but explicit local development, and even there only to
 * this machine's own direct requests, never for the demo admin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHubNode } from '../load-tests/harness/index.js';
import type { HubNode } from '../load-tests/harness/index.js';
import { loadConfig } from './config.js';
import { isDirectLoopbackRequest, isLoopbackAddress } from './http/loopback.js';

const ADMIN_EMAIL = 'ops@venue.example';
const DEMO_ADMIN_EMAIL = 'demo-admin@venue-hub.local';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vh-mailbox-'));
  dirs.push(dir);
  return dir;
}

async function askSignInCode(node: HubNode, email: string): Promise<void> {
  const answer = await fetch(`${node.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  expect(answer.status).toBe(200);
}

async function mailbox(node: HubNode, to: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const answer = await fetch(`${node.url}/mailbox?to=${encodeURIComponent(to)}`, { headers });
  return { status: answer.status, body: await answer.text() };
}

/** Starts a hub process with `env`; stops it after `use`. */
async function withHub(env: Record<string, string>, use: (node: HubNode) => Promise<void>): Promise<void> {
  const node = await startHubNode({ dataDir: dataDir(), env: { ADMIN_EMAIL, ...env } });
  try {
    await use(node);
  } finally {
    await node.kill();
  }
}

describe('the local mailbox cannot be used to take over an account', () => {
  it('a default start has no mailbox page: the admin codes cannot be read', async () => {
    await withHub({}, async (node) => {
      await askSignInCode(node, ADMIN_EMAIL);
      await askSignInCode(node, DEMO_ADMIN_EMAIL);
      for (const to of [ADMIN_EMAIL, DEMO_ADMIN_EMAIL]) {
        const page = await mailbox(node, to);
        expect(page.status).toBe(404);
        expect(JSON.parse(page.body)).toMatchObject({ ok: false, code: 'route.not_found', message: 'no such route' });
      }
      expect(node.output()).toContain('not delivered (no SMTP_URL)');
    });
  }, 60_000);

  it('explicit local development serves it to this machine only, and never a code for the demo admin', async () => {
    await withHub({ DEV_MAILBOX: 'true' }, async (node) => {
      await askSignInCode(node, ADMIN_EMAIL);
      await askSignInCode(node, DEMO_ADMIN_EMAIL);
      const local = await mailbox(node, ADMIN_EMAIL);
      expect(local.status).toBe(200);
      expect(local.body).toMatch(/\b\d{6}\b/);
      // A proxy on this machine connects from loopback too: a forwarded request is from outside.
      for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
        const proxied = await mailbox(node, ADMIN_EMAIL, { [header]: header === 'forwarded' ? 'for=203.0.113.9' : '203.0.113.9' });
        expect(proxied.status, header).toBe(404);
        expect(proxied.body).not.toMatch(/\b\d{6}\b/);
      }
      // The demo admin's address is never verified: no code is ever sent for it.
      const demo = await mailbox(node, DEMO_ADMIN_EMAIL);
      expect(demo.status).toBe(200);
      expect(demo.body).toContain('No messages yet.');
      expect(node.output()).toContain('/mailbox (this machine only)');
    });
  }, 60_000);

  it('refuses to start with the mailbox on a hub that the network or the public reaches', async () => {
    const refusals = [
      { DEV_MAILBOX: 'true', HOST: '0.0.0.0' },
      { DEV_MAILBOX: 'true', HOST: '::' },
      { DEV_MAILBOX: 'true', HOST: '127.0.0.1', PUBLIC_URL: 'https://tickets.venue.example' },
      { DEV_MAILBOX: 'true', HOST: '127.0.0.1', NODE_ENV: 'production' },
    ];
    for (const env of refusals) {
      const loaded = loadConfig(env, { hostname: 'test', pid: 1 });
      expect(loaded.ok, JSON.stringify(env)).toBe(false);
      if (!loaded.ok) expect(loaded.problems.join('\n')).toMatch(/^DEV_MAILBOX=true: .*(HOST|PUBLIC_URL|NODE_ENV)/m);
    }
    const node = startHubNode({ dataDir: dataDir(), env: { DEV_MAILBOX: 'true', HOST: '0.0.0.0' }, startTimeoutMs: 20_000 });
    await expect(node).rejects.toThrow(/exited \(78\).*\n?[\s\S]*DEV_MAILBOX=true: .*HOST=0\.0\.0\.0/);
  }, 60_000);

  it('tells direct loopback peers from everyone else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '0000:0000:0000:0000:0000:0000:0000:0001', '::ffff:127.0.0.1', '0000:0000:0000:0000:0000:ffff:7f00:0001']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of ['10.0.0.1', '203.0.113.9', '::ffff:10.0.0.1', '0000:0000:0000:0000:0000:ffff:0a00:0001', 'fe80::1', '::', '128.0.0.1', 'localhost', '']) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
    expect(isDirectLoopbackRequest({ remoteAddress: '127.0.0.1', headers: {} })).toBe(true);
    expect(isDirectLoopbackRequest({ remoteAddress: '203.0.113.9', headers: {} })).toBe(false);
    expect(isDirectLoopbackRequest({ headers: {} })).toBe(false);
    expect(isDirectLoopbackRequest({ remoteAddress: '::1', headers: { via: '1.1 proxy' } })).toBe(false);
  });
});
