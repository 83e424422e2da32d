/**
 * What the staff page browser tests share: Chromium launched with a fake camera that plays a
 * ticket's QR code (a Y4M file written here), axe-core, screenshots, and a venue time zone in
 * which it is the middle of the day whenever the test runs (so today's slots and the gate's
 * offline list of today never depend on the hour the suite runs at).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../machines/contract/wire.js';
import { otpCodeOf } from '../load-tests/harness/index.js';
import type { SmtpInbox } from '../load-tests/harness/index.js';

export const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * An `Etc/GMT±n` zone in which the local hour is now between 11 and 13 (POSIX signs: Etc/GMT-3 is
 * UTC+3), so an activity opened "now" has its slots today in the venue's day.
 */
export function middayTimeZone(now = Date.now()): string {
  const utcHour = new Date(now).getUTCHours();
  const offset = 12 - utcHour; // −11 … +12
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/**
 * Writes a Y4M video (4:2:0) for Chromium's fake camera: `text` as a QR code on white for
 * `showFrames` frames, then a blank white picture for `gapFrames` frames; Chromium loops the file,
 * so the code keeps coming back into view like a visitor presenting a phone again.
 */
export function writeQrVideo(file: string, text: string, options: { width?: number; height?: number; fps?: number; showFrames?: number; gapFrames?: number } = {}): void {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const fps = options.fps ?? 10;
  const code = QRCode.create(text, { errorCorrectionLevel: 'L' });
  const size = code.modules.size;
  const quiet = 4;
  const modulePx = Math.floor(Math.min(width, height) / (size + 2 * quiet));
  if (modulePx < 3) throw new Error(`a ${size}-module QR code does not fit ${width}x${height} at 3 px a module`);
  const left = Math.floor((width - size * modulePx) / 2);
  const top = Math.floor((height - size * modulePx) / 2);
  const qrLuma = Buffer.alloc(width * height, 235);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!code.modules.get(row, col)) continue;
      for (let y = 0; y < modulePx; y++) qrLuma.fill(16, (top + row * modulePx + y) * width + left + col * modulePx, (top + row * modulePx + y) * width + left + (col + 1) * modulePx);
    }
  }
  const blankLuma = Buffer.alloc(width * height, 235);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.from('FRAME\n');
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < (options.showFrames ?? 15); i++) parts.push(frame, qrLuma, chroma);
  for (let i = 0; i < (options.gapFrames ?? 25); i++) parts.push(frame, blankLuma, chroma);
  writeFileSync(file, Buffer.concat(parts));
}

/** Chromium headless; with `cameraFile`, its fake camera plays that file. */
export function launchChromium(cameraFile?: string): Promise<Browser> {
  const camera = cameraFile === undefined ? [] : ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraFile}`];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...camera],
  });
}

/** A fresh profile at `viewport` (1 device pixel per CSS pixel) whose page errors land in `problems`. */
export async function openStaffPage(browser: Browser, viewport: { width: number; height: number }, problems: string[], options: { camera?: boolean; origin?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-GB' });
  if (options.camera && options.origin) await context.grantPermissions(['camera'], { origin: options.origin });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} ${response.url()}`);
  });
  return { context, page };
}

/** axe-core's findings on the page as it is now: `id (impact): targets`. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return (await page.evaluate(
    `axe.run(document).then((result) => result.violations.map((v) => v.id + ' (' + (v.impact ?? 'n/a') + '): ' + v.nodes.map((n) => JSON.stringify(n.target)).join(', ')))`,
  )) as string[];
}

/** Saves a full-page screenshot as `<dir>/<name>.png`. */
export async function shoot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** A socket of the hub's own protocol, as a device or a board holds it. */
export type DeviceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects a device (or any token's holder) over websocket, without reconnection; resolves once connected. */
export async function connectDevice(url: string, token: string): Promise<DeviceSocket> {
  const socket: DeviceSocket = io(url, { transports: ['websocket'], reconnection: false, auth: { token } });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * Signs in at /admin with the emailed code, typed as a person types it. Someone who signed up a
 * moment ago may ask within the hub's gap between two codes to one address (OTP_RESEND_SECONDS):
 * the form then says until when, and they wait and ask again, as a person would. Any other
 * refusal fails with the page's own message.
 */
export async function signInToConsole(page: Page, url: string, inbox: SmtpInbox, email: string): Promise<void> {
  await page.goto(`${url}/admin`);
  await page.waitForSelector('#admin-sign-in');
  await page.fill('#admin-email', email);
  let asked = Date.now();
  await page.click('#admin-sign-in button[type="submit"]');
  const shown = await page.waitForSelector('#admin-code, #admin-sign-in .error');
  if ((await shown.getAttribute('id')) !== 'admin-code') {
    const refusal = (await shown.textContent()) ?? '';
    const retryAt = /try again after (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(refusal);
    if (retryAt === null) throw new Error(`the console refused a code for ${email}: ${refusal}`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(retryAt[1]!) - Date.now()) + 100));
    asked = Date.now();
    await page.click('#admin-sign-in button[type="submit"]');
    await page.waitForSelector('#admin-code');
  }
  const code = otpCodeOf(await inbox.waitFor(email, (mail) => mail.receivedAt >= asked));
  await page.fill('#admin-code-input', code);
  await page.click('#admin-code button[type="submit"]');
  await page.waitForSelector('#who');
}
