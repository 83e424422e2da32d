/**
 * Production mode refuses the conveniences of the embedded default (demo data, generated keys,
 * the local mailbox, the simulated gateway) unless each is allowed by name, and says which
 * setting fixes or allows it. Checked through loadConfig and through a real `hub/main.ts` start.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { startHubNode } from '../load-tests/harness/index.js';
import { generateSigningJwk } from './auth/keys.js';
import { loadConfig } from './config.js';
import type { LoadConfigRuntime } from './config.js';

let keys: Record<string, string>;
beforeAll(async () => {
  const vapid = webPush.generateVAPIDKeys();
  keys = {
    JWT_PRIVATE_KEYS: JSON.stringify([await generateSigningJwk()]),
    TICKET_PRIVATE_KEYS: JSON.stringify([await generateSigningJwk()]),
    ACCOUNT_PEPPER: randomBytes(32).toString('base64'),
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
  };
});
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const moyasar = { PAYMENT_PROVIDER: 'moyasar', MOYASAR_SECRET_KEY: 'sk_test_abcdef', MOYASAR_WEBHOOK_TOKEN: 'webhook-token-1' };
const smtp = { SMTP_URL: 'smtps://user:pass@smtp.example.com:465' };

function problemsOf(env: Record<string, string>, runtime: LoadConfigRuntime = {}): string[] {
  const loaded = loadConfig(env, { hostname: 'prod', pid: 1, ...runtime });
  return loaded.ok ? [] : loaded.problems;
}

describe('production mode', () => {
  it('follows NODE_ENV=production, or HUB_MODE=production on its own', () => {
    for (const env of [{ NODE_ENV: 'production' }, { HUB_MODE: 'production' }]) {
      const loaded = loadConfig({ ...env, ...keys, ...moyasar, ...smtp }, { hostname: 'prod', pid: 1 });
      expect(loaded, JSON.stringify(env)).toMatchObject({ ok: true, config: { HUB_MODE: 'production', SEED_DEMO: false } });
    }
    expect(loadConfig({ NODE_ENV: 'test' }, { hostname: 'dev', pid: 1 })).toMatchObject({ ok: true, config: { HUB_MODE: 'development', SEED_DEMO: true } });
    expect(problemsOf({ NODE_ENV: 'production', HUB_MODE: 'development' })).toEqual([expect.stringMatching(/^HUB_MODE=development: contradicts NODE_ENV=production/)]);
  });

  it('refuses each convenience of the embedded default and names the setting that allows it', () => {
    const found = problemsOf({ NODE_ENV: 'production', SEED_DEMO: 'true' }).join('\n');
    expect(found).toMatch(/^SEED_DEMO=true: .*set SEED_DEMO=false .*or ALLOW_DEMO_DATA=true/m);
    expect(found).toMatch(/^JWT_PRIVATE_KEYS, TICKET_PRIVATE_KEYS, ACCOUNT_PEPPER, VAPID_PUBLIC_KEY\/VAPID_PRIVATE_KEY, PAYMENT_WEBHOOK_SECRET are not set: .*ALLOW_GENERATED_KEYS=true/m);
    expect(found).toMatch(/^SMTP_URL is not set: .*ALLOW_LOCAL_MAILBOX=true/m);
    expect(found).toMatch(/^PAYMENT_PROVIDER=simulated: .*PAYMENT_PROVIDER=moyasar with MOYASAR_SECRET_KEY and MOYASAR_WEBHOOK_TOKEN, or ALLOW_SIMULATED_PAYMENTS=true/m);
  });

  it('starts once each is configured or explicitly allowed', () => {
    expect(problemsOf({ NODE_ENV: 'production', ...keys, ...moyasar, ...smtp })).toEqual([]);
    const allowed = { ALLOW_DEMO_DATA: 'true', ALLOW_GENERATED_KEYS: 'true', ALLOW_LOCAL_MAILBOX: 'true', ALLOW_SIMULATED_PAYMENTS: 'true' };
    expect(problemsOf({ NODE_ENV: 'production', SEED_DEMO: 'true', ...allowed })).toEqual([]);
    for (const name of Object.keys(allowed)) {
      const found = problemsOf({ NODE_ENV: 'production', SEED_DEMO: 'true', ...allowed, [name]: 'false' });
      expect(found, name).toHaveLength(1);
      expect(found[0], name).toContain(`${name}=true`);
    }
  });

  it('asks a worker only for what a worker uses: no access-token keys, no demo seeding', () => {
    const { JWT_PRIVATE_KEYS: _jwt, ...workerKeys } = keys;
    expect(problemsOf({ NODE_ENV: 'production', SEED_DEMO: 'true', ...workerKeys, ...moyasar, ...smtp }, { role: 'worker' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', ...workerKeys, ...moyasar, ...smtp })).toEqual([expect.stringMatching(/^JWT_PRIVATE_KEYS is not set: /)]);
  });

  it('a hub started in production with demo settings refuses to start and says what to set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vh-prod-'));
    dirs.push(dataDir);
    const start = startHubNode({ dataDir, seedDemo: true, env: { NODE_ENV: 'production' }, startTimeoutMs: 20_000 });
    await expect(start).rejects.toThrow(/exited \(78\)/);
    const message = await start.catch((error: unknown) => String(error));
    for (const setting of ['ALLOW_DEMO_DATA=true', 'ALLOW_GENERATED_KEYS=true', 'ALLOW_LOCAL_MAILBOX=true', 'ALLOW_SIMULATED_PAYMENTS=true']) expect(message).toContain(setting);
  }, 30_000);

  it('a hub configured for production starts without demo data or demo tokens, logging JSON lines (LOG_FORMAT=json)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vh-prod-'));
    dirs.push(dataDir);
    const env = { NODE_ENV: 'production', LOG_FORMAT: 'json', SEED_DEMO: '', ...keys, ...smtp, PAYMENT_PROVIDER: 'simulated', ALLOW_SIMULATED_PAYMENTS: 'true', PAYMENT_WEBHOOK_SECRET: randomBytes(24).toString('hex') };
    const node = await startHubNode({ dataDir, env, tokenGraceMs: 0 });
    try {
      expect(node.adminToken).toBeUndefined();
      const lines = node.output().trim().split('\n');
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      const listening = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => String(l.msg).startsWith('Venue Hub listening on'));
      expect(listening).toMatchObject({ level: 'info', node: node.nodeId, mode: 'production', payments: 'simulated' });
      expect(node.output()).not.toContain(keys.ACCOUNT_PEPPER);
      const catalog = await fetch(`${node.url}/api/catalog/activities`).then((r) => r.json() as Promise<unknown>);
      expect(catalog).toMatchObject({ ok: true, data: { activities: [] } });
    } finally {
      expect((await node.kill()).code).toBe(0);
    }
  }, 60_000);
});
