/**
 * The per-address budget of the auth routes behind a load balancer: X-Forwarded-For counts only
 * from a trusted proxy (in-process hubs), and the budget is one per visitor across nodes that
 * share Redis (two hub processes on one real Redis).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHubNode, startRedis } from '../../load-tests/harness/index.js';
import { trustedProxies } from '../http/client-address.js';
import { startApiHub } from './api.test-support.js';

const signIn = (url: string, forwardedFor: string, n: number) =>
  fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email: `nobody${n}@example.com` }),
  }).then((r) => r.status);

describe('per-address auth budget behind a proxy', () => {
  it.each([
    ['a trusted proxy', true],
    ['a peer nobody trusts', false],
  ] as const)('from %s', async (_, trusted) => {
    const t = await startApiHub({ config: { SOCKET_ENGINE: 'ws' }, authRate: { perMinute: 2, burst: 2 }, deps: trusted ? { trustedProxies: trustedProxies(['loopback']) } : {} });
    try {
      const first = [await signIn(t.url, '198.51.100.1', 1), await signIn(t.url, '198.51.100.1', 2), await signIn(t.url, '198.51.100.1', 3)];
      expect(first).toEqual([200, 200, 429]);
      // Another visitor behind the same proxy has a budget of its own, but only when the proxy is trusted:
      // otherwise the header proves nothing and inventing one must not buy a fresh budget.
      expect(await signIn(t.url, '198.51.100.2', 4)).toBe(trusted ? 200 : 429);
    } finally {
      await t.stop();
    }
  });
});

describe('per-address auth budget across nodes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is one budget per visitor whichever node answers, shared through Redis', async () => {
    const redis = await startRedis();
    const dataDir = mkdtempSync(join(tmpdir(), 'vh-rate-'));
    dirs.push(dataDir);
    const env = { TRUSTED_PROXIES: 'loopback', AUTH_RATE_PER_MINUTE: '3', AUTH_RATE_BURST: '3' };
    const [a, b] = await Promise.all([
      startHubNode({ dataDir, redisUrl: redis.url, seedDemo: false, env }),
      startHubNode({ dataDir, redisUrl: redis.url, seedDemo: false, env, engine: 'ws' }),
    ]);
    try {
      const nodes = [a.url, b.url, a.url, b.url];
      const statuses: number[] = [];
      for (const [i, url] of nodes.entries()) statuses.push(await signIn(url, '203.0.113.7', i));
      expect(statuses).toEqual([200, 200, 200, 429]); // per node it would have been 4 × 200
      expect(await signIn(a.url, '203.0.113.8', 9)).toBe(200);
      expect(await signIn(b.url, '203.0.113.8', 10)).toBe(200);
    } finally {
      await Promise.all([a.kill(), b.kill()]);
      await redis.stop();
    }
  }, 90_000);
});
