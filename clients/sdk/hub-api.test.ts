/**
 * The HTTP client's edges against a real HTTP server on port 0: what it sends (method, path,
 * JSON body, bearer token) and how it maps answers to `HubResult`s. The happy paths against a
 * real hub are in hub/journey.e2e.test.ts.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubApi, unwrap } from './hub-api.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** What the server answers next: status and raw body. */
let reply: { status: number; body: string } = { status: 200, body: '{"ok":true,"data":{}}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createHubApi', () => {
  it('sends JSON bodies, bearer tokens and encoded path parts', async () => {
    const api = createHubApi({ url: base });
    reply = { status: 200, body: '{"ok":true,"data":{"paymentId":"b 1-p1","gatewayRef":"sim_1","redirectUrl":"http://x/pay"}}' };
    expect(unwrap(await api.pay('b 1', 'card', 'tok'))).toEqual({ paymentId: 'b 1-p1', gatewayRef: 'sim_1', redirectUrl: 'http://x/pay' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/bookings/b%201/pay', body: '{"method":"card"}', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' } });
    await api.slots('wave-pool', '2026-06-01');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/catalog/activities/wave-pool/slots?date=2026-06-01', body: '' });
    expect(seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("passes the hub's refusals through with their code", async () => {
    reply = { status: 429, body: '{"ok":false,"code":"rate.limited","message":"too many requests"}' };
    const answer = await createHubApi({ url: base }).register({ name: 'A', email: 'a@example.com' });
    expect(answer).toEqual({ ok: false, code: 'rate.limited', message: 'too many requests' });
    expect(() => unwrap(answer)).toThrow(/^rate\.limited: too many requests$/);
  });

  it('answers client.bad_answer for a body that is not a Result, client.unreachable when nothing answers', async () => {
    reply = { status: 502, body: '<html>bad gateway</html>' };
    expect(await createHubApi({ url: base }).activities()).toMatchObject({ ok: false, code: 'client.bad_answer' });
    reply = { status: 200, body: '{"ok":false,"code":"no.such_code"}' };
    expect(await createHubApi({ url: base }).activities()).toMatchObject({ ok: false, code: 'client.bad_answer' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await createHubApi({ url: `http://127.0.0.1:${port}` }).activities()).toMatchObject({ ok: false, code: 'client.unreachable' });
  });
});
