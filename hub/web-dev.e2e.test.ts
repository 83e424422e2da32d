/**
 * `npm run dev` against a running hub, as README says to use it: Vite serves the visitor app's
 * sources (hot reload) and sends API, payment and socket requests to the hub at HUB_URL. Chromium
 * opens the dev server: the activities come through the proxy, and a signed-in visitor's bookings
 * come over the socket through it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, signUpVisitor } from '../load-tests/harness/index.js';
import { CHROMIUM, launchChromium } from './staff-pages.test-support.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';

/** Vite compiles the pages on first request on a shared machine: generous, never a speed check. */
const DEV_MS = 120_000;

describe('npm run dev', () => {
  let env: JourneyHub;
  let browser: Browser;
  let dev: ChildProcess | undefined;
  let devUrl: string;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    env = await startJourneyHub();
    const port = await freePort();
    devUrl = `http://127.0.0.1:${port}`;
    const { NODE_OPTIONS: _loader, ...inherited } = process.env; // vitest's loader hooks must not leak into Vite
    dev = spawn('npm', ['run', 'dev', '--', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...inherited, HUB_URL: env.url },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Vite prints its local URL once it listens.
    for (let waited = 0; !output.includes(`${port}`); waited += 100) {
      if (waited > 60_000 || dev.exitCode !== null) throw new Error(`npm run dev did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchChromium();
  }, DEV_MS);

  afterAll(async () => {
    await browser?.close();
    // npm and Vite under it: the whole process group, started here.
    if (dev?.pid !== undefined && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev?.once('exit', resolve));
      process.kill(-dev.pid, 'SIGTERM');
      await exited;
    }
    await env?.stop();
  });

  it('serves the visitor app from its sources against the running hub: activities over HTTP, bookings over the socket', async () => {
    const problems: string[] = [];
    const visitor = await signUpVisitor(env.api, env.inbox, 'dev-visitor@example.com', 'Dev Visitor');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    // The session a sign-in on this page would keep (session.ts).
    await context.addInitScript(
      `localStorage.setItem('vh.access', ${JSON.stringify(visitor.accessToken)}); localStorage.setItem('vh.accessExpiresAt', ${JSON.stringify(String(visitor.accessExpiresAt))}); localStorage.setItem('vh.refresh', ${JSON.stringify(visitor.refreshToken)});`,
    );
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(devUrl);
    // The sources, not the build: Vite's client is on the page (hot reload).
    expect(await page.locator('script[src="/@vite/client"]').count()).toBe(1);
    await page.waitForSelector('.card.activity[data-activity="wave-pool"]');
    // Signed in: my bookings is read over the socket, through the dev server's proxy.
    await page.click('header a[href="/bookings"]');
    await page.waitForSelector('text=You have no bookings yet.');
    expect(problems).toEqual([]);
    await context.close();
  }, DEV_MS);
});
