/**
 * The hub serves the contract: a real node (npm start's composition) answers every HTTP route of
 * machines/contract/http-api.ts on its method and path, and serves the generated API documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncApiDocument, openApiDocument } from '../machines/contract/api-docs.js';
import { HTTP_ROUTES } from '../machines/contract/http-api.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';

/** A value for each path parameter that passes the route's own checks. */
const PARAM_VALUES: Record<string, string> = { kind: 'activity', list: 'bookings', file: 'qr.svg', provider: 'simulated' };

describe('the hub serves its contract', () => {
  let hub: JourneyHub;
  beforeAll(async () => {
    hub = await startJourneyHub();
  }, 60_000);
  afterAll(() => hub?.stop());

  it('serves the OpenAPI and AsyncAPI documents generated from the contract', async () => {
    const openapi = await fetch(`${hub.url}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toEqual(openApiDocument());
    const asyncapi = await fetch(`${hub.url}/api/asyncapi.json`);
    expect(await asyncapi.json()).toEqual(asyncApiDocument());
  });

  it('answers every route of the contract on its method and path (none falls through to "no such route")', async () => {
    const missing: string[] = [];
    for (const [id, route] of Object.entries(HTTP_ROUTES)) {
      if (route.path === '/mailbox') continue; // served only with DEV_MAILBOX, to direct loopback peers
      const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => PARAM_VALUES[name] ?? 'x1');
      const res = await fetch(`${hub.url}${path}`, { method: route.method, redirect: 'manual', ...(route.method === 'GET' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }) });
      const text = await res.text();
      const fellThrough = (res.status === 404 && text.includes('"no such route"')) || res.status === 405;
      if (fellThrough) missing.push(`${id}: ${route.method} ${route.path} → ${res.status}`);
    }
    expect(missing).toEqual([]);
  });
});
