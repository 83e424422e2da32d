import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { refuse } from '../../machines/errors.js';
import type { TestHub } from '../hub.test-support.js';
import { SOCKET_ENGINES, startTestHub } from '../hub.test-support.js';
import { createLogger } from '../../workers/logger.js';
import { CORRELATION_HEADER, jsonAnswer } from '../http/routes.js';
import { createApiRouter, readJson } from './api-router.js';

const Greeting = z.strictObject({ name: z.string().min(1) });

const logged: string[] = [];
const log = createLogger({ json: true, write: (line) => logged.push(line) });

const app = createApiRouter([
  { method: 'POST', pattern: '/api/greet/:lang', created: true, handler: async (req) => {
    const body = readJson(Greeting, req);
    if (!body.ok) return body;
    return { ok: true, data: { lang: req.params['lang'], hello: body.data.name, q: req.search.get('q') } };
  } },
  { method: 'GET', pattern: '/api/missing/:id', handler: async (req) => refuse('actor.not_found', `no ${req.params['id']}`) },
  { method: 'GET', pattern: '/api/broken', handler: async () => {
    throw new Error('SQLITE_CORRUPT at /var/lib/venue-hub/hub.db');
  } },
  { method: 'GET', pattern: '/api/fault', handler: async () => refuse('internal', 'projection bookings stopped at change 42: no such column visitor_phone') },
  { method: 'POST', pattern: '/webhooks/echo', handler: async (req) => jsonAnswer(200, {
    // A signature over the exact bytes proves the body reached the handler unchanged.
    hmac: createHmac('sha256', 'k').update(req.body).digest('hex'),
    type: req.headers['content-type'],
  }) },
], { log });

describe.each(SOCKET_ENGINES)('application HTTP routes on the %s engine', (engine) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { SOCKET_ENGINE: engine }, deps: { app } });
  });
  afterAll(() => t.stop());

  it('parses JSON bodies, path params and query strings', async () => {
    const res = await fetch(`${t.url}/api/greet/ar?q=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Noura' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true, data: { lang: 'ar', hello: 'Noura', q: '1' } });
  });

  it('answers coded refusals with a matching status', async () => {
    const bad = await fetch(`${t.url}/api/greet/ar`, { method: 'POST', body: '{"name": 3}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: 'event.invalid' });
    const notJson = await fetch(`${t.url}/api/greet/ar`, { method: 'POST', body: '{' });
    expect(await notJson.json()).toMatchObject({ ok: false, code: 'event.invalid', message: 'the body is not valid JSON' });
    const missing = await fetch(`${t.url}/api/missing/x1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, code: 'actor.not_found' });
    const wrongMethod = await fetch(`${t.url}/api/missing/x1`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
  });

  it('never echoes a server fault: a generic message with a reference, the details logged under it', async () => {
    for (const path of ['/api/broken', '/api/fault']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(500);
      const ref = res.headers.get(CORRELATION_HEADER) ?? '';
      expect(ref).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await res.json()) as { ok: false; code: string; message: string };
      expect(body).toEqual({ ok: false, code: 'internal', message: `the hub failed to handle this request; report reference ${ref}` });
      const line = logged.find((l) => l.includes(ref)) ?? '';
      expect(line).toMatch(path === '/api/broken' ? /SQLITE_CORRUPT/ : /no such column/);
    }
  });

  it('hands the raw body bytes to handlers and refuses bodies over the limit', async () => {
    const raw = Buffer.from('{"a":1,  "b":"ü"}\n');
    const res = await fetch(`${t.url}/webhooks/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(await res.json()).toEqual({ hmac: createHmac('sha256', 'k').update(raw).digest('hex'), type: 'application/json' });
    const huge = await fetch(`${t.url}/webhooks/echo`, { method: 'POST', body: Buffer.alloc(70 * 1024, 120) });
    expect(huge.status).toBe(413);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
