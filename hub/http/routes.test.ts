import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuse } from '../../machines/errors.js';
import type { HttpHandler } from './routes.js';
import { createHttpRoutes } from './routes.js';

describe('HTTP routes', () => {
  let base: string;
  let handle: HttpHandler;
  let ready = true;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'vh-static-'));
    const web = join(base, 'web');
    mkdirSync(join(web, 'admin'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<h1>venue</h1>');
    writeFileSync(join(web, 'app.js'), 'export {};');
    writeFileSync(join(web, 'admin', 'index.html'), '<h1>admin</h1>');
    writeFileSync(join(web, '.env'), 'SECRET=1');
    writeFileSync(join(base, 'outside.txt'), 'outside');
    symlinkSync(join(base, 'outside.txt'), join(web, 'link.txt'));
    handle = createHttpRoutes({
      ready: () => Promise.resolve(ready ? { ok: true, data: true } : refuse('hub.draining', 'draining')),
      metricsText: () => 'vh_socket_connections 0\n',
      jwks: () => ({ keys: [] }),
      staticDir: web,
    });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (path: string, method = 'GET') => handle({ method, path, query: '', headers: {}, body: Buffer.alloc(0) });

  it('serves files with their content type, directories as index.html', async () => {
    expect(await get('/')).toMatchObject({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(String((await get('/admin/')).body)).toBe('<h1>admin</h1>');
    expect(String((await get('/admin')).body)).toBe('<h1>admin</h1>');
    expect(await get('/app.js')).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    expect(await get('/app.js', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('never leaves the folder, serves no dotfiles and refuses other methods', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/admin/../../outside.txt', '/.env', '/link.txt', '/%00', '/%E0%A4%A', '/..\\outside.txt']) {
      expect(await get(path), path).toMatchObject({ status: 404, body: expect.stringContaining('route.not_found') });
    }
    expect(await get('/', 'POST')).toMatchObject({ status: 404 });
  });

  it('answers readiness 503 with the code while not ready', async () => {
    expect(await get('/readyz')).toMatchObject({ status: 200 });
    ready = false;
    const answer = await get('/readyz');
    expect(answer.status).toBe(503);
    expect(JSON.parse(String(answer.body))).toMatchObject({ ok: false, code: 'hub.draining' });
    ready = true;
  });
});
