/**
 * The published API documents: docs/openapi.json and docs/asyncapi.json are what the contract
 * generates (run `npm run docs:api` after changing it), they cover every event and route, and
 * they answer what a client writer needs without reading the hub's code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument, openApiDocument, printed } from './api-docs.js';
import { HTTP_ROUTES } from './http-api.js';
import { SERVER_PUSHES, SOCKET_EVENTS } from './socket-api.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const openapi = openApiDocument() as Json;
const asyncapi = asyncApiDocument() as Json;

describe('the API documents', () => {
  it('are current in docs/ (npm run docs:api prints them)', () => {
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(printed(openapi));
    expect(readFileSync('docs/asyncapi.json', 'utf8')).toBe(printed(asyncapi));
  });

  it('cover every socket event (with its ack), every push and every HTTP route', () => {
    expect(openapi['openapi']).toBe('3.1.0');
    expect(asyncapi['asyncapi']).toBe('3.0.0');
    for (const name of Object.keys(SOCKET_EVENTS)) {
      expect(asyncapi['operations'][name]).toMatchObject({ action: 'send', reply: expect.any(Object) });
      expect(asyncapi['components']['messages'][`${name}.ack`]).toBeDefined();
    }
    for (const name of Object.keys(SERVER_PUSHES)) expect(asyncapi['operations'][name]).toMatchObject({ action: 'receive' });
    for (const route of Object.values(HTTP_ROUTES)) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(openapi['paths'][path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it('answer what a new client writer stalled on', () => {
    const paths = openapi['paths'];
    // The body of each admin catalog kind, the schedule's shape with an example.
    for (const kind of ['activity', 'ticket_type', 'schedule', 'add_on']) {
      expect(paths[`/api/admin/catalog/${kind}`].post.requestBody.content['application/json'].schema.examples).toHaveLength(1);
    }
    const schedule = paths['/api/admin/catalog/schedule'].post.requestBody.content['application/json'].schema;
    expect(schedule.properties.days.propertyNames.enum).toEqual(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
    expect(schedule.description).toMatch(/hh:mm/);
    // The simulated gateway's webhook headers and body.
    const webhook = paths['/webhooks/payments/{provider}'].post;
    expect(webhook.parameters.filter((p: Json) => p['in'] === 'header').map((p: Json) => p['name'])).toEqual(['x-simpay-timestamp', 'x-simpay-signature']);
    expect(webhook.requestBody.content['application/json'].schema.properties.data.properties.merchant_ref).toBeDefined();
    // The transaction list: its answer (an array, in the envelope) and the range of `limit`.
    const transactions = paths['/api/admin/transactions'].get;
    expect(transactions.parameters.find((p: Json) => p['name'] === 'limit').schema).toMatchObject({ minimum: 1, maximum: 500 });
    expect(transactions.responses['200'].content['application/json'].schema.properties.data.type).toBe('array');
    // The ticket validity grace, and what to wait for before the tickets exist.
    const tickets = paths['/api/bookings/{id}/tickets'].get.description as string;
    expect(tickets).toMatch(/60 minutes before its slot starts/);
    expect(tickets).toMatch(/confirmed/);
    expect(asyncapi['operations']['booking:hold'].description).toMatch(/confirmed.*tickets/s);
    // Every refusal status is documented.
    expect(openapi['info'].description).toMatch(/\| 409 \| .*`slot.sold_out`/);
  });
});
