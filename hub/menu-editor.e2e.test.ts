/**
 * The menu editor in the admin console (`/admin/menu`, clients/web/src/admin/menu.tsx) in Debian's
 * Chromium against a real hub process with its SQLite store and SMTP inbox. Staff are people who
 * signed up and were given a role by the demo super admin, and sign in with the emailed code.
 *
 *   super admin: a new item is refused with the hub's coded message for a bad id, then created
 *     (English and Arabic names, price with VAT, station, prep time, allergens, dietary tags, a
 *     modifier with priced choices named in both languages, serving hours); its price is changed,
 *     and a visitor's booking page open on the menu and the editor open on another screen show
 *     the new price without a reload; it is marked sold out and the visitor's page shows it
 *     without a reload, then back; the page in Arabic runs right to left, modifiers in Arabic; its
 *     Arabic name cleared is gone, and the visitor's open menu in Arabic shows the English name
 *   super admin: a category is created named in English and Arabic (a place that is not a number
 *     refused by the form), renamed and moved a place up; a visitor's open menu follows each
 *     without a reload, in Arabic with the Arabic names (a modifier's and its choices' too)
 *   kitchen staff: the menu is their only section; they mark items sold out but neither create nor
 *     edit items or categories (no buttons, and the hub refuses them anyway)
 *   booking admin: no menu in the navigation, the address does not open it, the hub refuses its
 *     routes
 *   the console's header, with the ten sections a super admin sees, is one line at 1280 × 800 in
 *     English and in Arabic
 *
 * Every page checked is run through axe-core; screenshots go to the folder printed at the start.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../clients/sdk/index.js';
import { ensureWebBuilt } from '../clients/web/build.js';
import { signUpVisitor } from '../load-tests/harness/index.js';
import type { PersonRole } from '../machines/contract/wire.js';
import type { JourneyHub } from './journey.test-support.js';
import { startJourneyHub } from './journey.test-support.js';
import { CHROMIUM, accessibilityProblems, launchChromium, shoot as shootTo, signInToConsole } from './staff-pages.test-support.js';

const SHOTS = join(tmpdir(), 'venue-hub-menu-editor');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** A whole scenario in a browser; generous because the machine is shared, never a speed check. */
const SCENARIO_MS = 180_000;

const sar = (halalas: number, locale = 'en-GB') => new Intl.NumberFormat(locale, { style: 'currency', currency: 'SAR' }).format(halalas / 100);

describe('the menu editor', () => {
  let env: JourneyHub;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const run = randomUUID().slice(0, 6);
  const itemId = `wings-${run}`;
  const categoryId = `hot-drinks-${run}`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test installs it)`);
    await ensureWebBuilt();
    mkdirSync(SHOTS, { recursive: true });
    console.log(`menu editor screenshots: ${SHOTS}`);
    env = await startJourneyHub({ OTP_RESEND_SECONDS: '1' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await env?.stop();
  });

  async function openPage(problems: string[], viewport = DESKTOP): Promise<Page> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500) problems.push(`${response.status()} ${response.url()}`);
    });
    return page;
  }

  const shoot = (page: Page, name: string) => shootTo(page, SHOTS, name);

  /** A person who signed up and was given `role` by the demo super admin. */
  async function staffMember(role: PersonRole, name: string): Promise<{ email: string }> {
    const email = `${role.replace('_', '-')}-${randomUUID().slice(0, 6)}-${run}@example.com`;
    const signedIn = await signUpVisitor(env.api, env.inbox, email, name);
    unwrap(await env.api.setRole(signedIn.account.userId, role, env.adminToken));
    return { email };
  }

  const signInAt = (page: Page, email: string) => signInToConsole(page, env.url, env.inbox, email);

  async function accessTokenOf(page: Page): Promise<string> {
    const token = (await page.evaluate(`localStorage.getItem('vh.access')`)) as string | null;
    if (token === null) throw new Error('the page kept no session');
    return token;
  }

  /** Waits until an element matching `selector` shows `text` (the page's own rendering, never a reload). */
  const textShows = (page: Page, selector: string, text: string) => page.waitForFunction(`[...document.querySelectorAll(${JSON.stringify(selector)})].some((e) => e.textContent.includes(${JSON.stringify(text)}))`);
  /** Waits until the elements matching `selector` read `texts`, in that order. */
  const textsBecome = (page: Page, selector: string, texts: readonly string[]) =>
    page.waitForFunction(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent.trim()).join('\\n') === ${JSON.stringify(texts.join('\n'))}`);

  /**
   * At 1280 × 800 the console's header is one line: brand, every section, language and sign out
   * (their middles within a few pixels of each other), and the sections fit without scrolling.
   * Shot as the screen shows it; the viewport goes back to what it was.
   */
  async function expectOneLineHeader(page: Page, name: string): Promise<void> {
    const before = page.viewportSize() ?? DESKTOP;
    await page.setViewportSize({ width: 1280, height: 800 });
    const header = (await page.evaluate(`(() => {
      const middles = [...document.querySelectorAll('header.top > *, header.top nav a')].map((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
      const nav = document.querySelector('header.top nav');
      return { links: document.querySelectorAll('header.top nav a').length, spread: Math.max(...middles) - Math.min(...middles), scrolls: nav.scrollWidth > nav.clientWidth };
    })()`)) as { links: number; spread: number; scrolls: boolean };
    expect(header).toMatchObject({ links: 10, scrolls: false });
    expect(header.spread).toBeLessThan(8);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    await page.setViewportSize(before);
  }

  const sectionsShown = (page: Page) => page.$$eval('header nav a', (links) => links.map((a) => a.id.replace(/^nav-/, '')));

  it('a super admin creates an item, changes its price and marks it sold out; a visitor’s open menu follows without a reload, then back (and in Arabic, right to left)', async () => {
    const problems: string[] = [];
    const admin = await staffMember('super_admin', 'Sara Super');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    expect(await sectionsShown(page)).toContain('menu');
    await page.click('#nav-menu');
    await page.waitForSelector('.menu-category[data-category="mains"] .menu-row[data-item="beef-burger"]');
    // The demo menu as the editor lists it: VAT-included price through Intl, Arabic name, modifiers with their prices, hours.
    const burger = page.locator('.menu-row[data-item="beef-burger"]');
    expect(await burger.textContent()).toContain(sar(3_800));
    expect(await burger.textContent()).toContain('برجر لحم');
    expect(await burger.textContent()).toContain(`Cheddar +${sar(400)}`);
    expect(await burger.textContent()).toContain('11:00–16:00');
    expect(await burger.locator('.tag.allergen[data-tag="mustard"]').textContent()).toBe('Mustard');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '01-menu-en');
    await expectOneLineHeader(page, '01-header-1280-en');

    // A new item: first with an id the hub refuses, shown with its code; nothing is written.
    await page.click('#new-item');
    await page.waitForSelector('#item-form');
    await page.fill('#item-id', 'Spicy Wings!');
    await page.selectOption('#item-category', 'snacks');
    await page.fill('#item-name', 'Spicy wings');
    await page.fill('#item-name-ar', 'أجنحة حارة');
    await page.fill('#item-description', 'Six wings with a dip.');
    await page.fill('#item-price', '29.00');
    await page.fill('#item-station', 'fryer');
    await page.fill('#item-prep', '9');
    await page.check('#item-allergens input[value="celery"]');
    await page.check('#item-allergens input[value="mustard"]');
    await page.check('#item-dietary input[value="halal"]');
    await page.check('#item-dietary input[value="spicy"]');
    await page.click('#add-modifier');
    await page.fill('#modifier-0-name', 'Dip');
    await page.fill('#modifier-0-name-ar', 'الصلصة');
    await page.fill('#modifier-0-min', '1');
    await page.fill('#modifier-0-max', '1');
    await page.fill('#modifier-0-choice-0-name', 'Ranch');
    await page.fill('#modifier-0-choice-0-name-ar', 'رانش');
    await page.click('#item-modifiers .add-choice');
    await page.fill('#modifier-0-choice-1-name', 'Blue cheese');
    await page.fill('#modifier-0-choice-1-name-ar', 'جبنة زرقاء');
    await page.fill('#modifier-0-choice-1-price', '3.50');
    await page.click('#add-window');
    await page.fill('#window-0-from', '00:00');
    await page.fill('#window-0-to', '23:59');
    await page.click('#item-save');
    await page.waitForSelector('#item-problem[data-code="catalog.invalid"]');
    expect(await page.textContent('#item-problem')).toContain('itemId');
    expect(await page.textContent('#item-problem')).toContain('lower-case letters, digits and dashes');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '02-new-item-refused-en');
    const token = await accessTokenOf(page);
    expect(unwrap(await env.api.adminMenu(token)).items.some((i) => i.name === 'Spicy wings')).toBe(false);

    await page.fill('#item-id', itemId);
    await page.click('#item-save');
    const row = page.locator(`.menu-category[data-category="snacks"] .menu-row[data-item="${itemId}"]`);
    await row.waitFor();
    await page.waitForSelector('#menu-notice:has-text("Spicy wings is on the menu.")');
    expect(await row.getAttribute('data-price')).toBe('2900');
    expect(await row.textContent()).toContain(sar(2_900));
    expect(await row.textContent()).toContain(`Blue cheese +${sar(350)}`);
    const stored = unwrap(await env.api.adminMenu(token)).items.find((i) => i.itemId === itemId);
    expect(stored).toMatchObject({
      categoryId: 'snacks',
      name: 'Spicy wings',
      translations: { ar: { name: 'أجنحة حارة' } },
      price: 2_900,
      vatPercent: 15,
      station: 'fryer',
      prepMinutes: 9,
      allergens: ['celery', 'mustard'],
      dietary: ['halal', 'spicy'],
      modifiers: [{ modifierId: 'dip', name: 'Dip', translations: { ar: { name: 'الصلصة' } }, min: 1, max: 1, choices: [{ choiceId: 'ranch', price: 0, translations: { ar: { name: 'رانش' } } }, { choiceId: 'blue-cheese', name: 'Blue cheese', price: 350, translations: { ar: { name: 'جبنة زرقاء' } } }] }],
      windows: [{ from: '00:00', to: '23:59' }],
      soldOut: false,
    });

    // A visitor's booking page open on the menu, and the editor open on another screen.
    const visitor = await openPage(problems, PHONE);
    await visitor.goto(env.url);
    await visitor.evaluate(`localStorage.setItem('vh.access', ${JSON.stringify(env.node.visitorToken)}); localStorage.setItem('vh.accessExpiresAt', String(Date.now() + 3600000))`);
    await visitor.goto(`${env.url}/activities/wave-pool`);
    const onMenu = visitor.locator(`.menu-item[data-item="${itemId}"]`);
    await onMenu.waitFor();
    expect(await onMenu.textContent()).toContain(sar(2_900));
    await visitor.evaluate('window.__sameDocument = true');
    const other = await openPage(problems);
    await signInAt(other, admin.email);
    await other.click('#nav-menu');
    const otherRow = other.locator(`.menu-row[data-item="${itemId}"]`);
    await otherRow.waitFor();
    expect(await otherRow.getAttribute('data-price')).toBe('2900');
    await other.evaluate('window.__sameDocument = true');

    // Its price changes: 31.50 SAR, VAT inside it; the visitor's menu and the other editor show it without a reload.
    await row.locator('button.edit').click();
    await page.waitForSelector('#item-form');
    expect(await page.inputValue('#item-price')).toBe('29.00');
    expect(await page.inputValue('#modifier-0-name-ar')).toBe('الصلصة');
    expect(await page.inputValue('#modifier-0-choice-1-name-ar')).toBe('جبنة زرقاء');
    expect(await page.isDisabled('#item-id')).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '03-edit-item-en');
    await page.fill('#item-price', '31.50');
    await page.click('#item-save');
    await page.waitForSelector(`.menu-row[data-item="${itemId}"][data-price="3150"]`);
    expect(await row.textContent()).toContain(sar(3_150));
    expect(await row.textContent()).toContain(sar(411)); // the VAT inside 31.50 at 15 %
    expect(unwrap(await env.api.menu()).categories.flatMap((c) => c.items).find((i) => i.itemId === itemId)).toMatchObject({ price: 3_150, vat: 411, soldOut: false });
    await textShows(visitor, `.menu-item[data-item="${itemId}"]`, sar(3_150));
    expect(await onMenu.textContent()).toContain(sar(3_150));
    expect(await onMenu.getAttribute('data-sold-out')).toBe('false');
    expect(await visitor.evaluate('window.__sameDocument')).toBe(true);
    await shoot(visitor, '04-new-price-visitor');
    await other.waitForSelector(`.menu-row[data-item="${itemId}"][data-price="3150"]`);
    expect(await otherRow.textContent()).toContain(sar(3_150));
    expect(await other.evaluate('window.__sameDocument')).toBe(true);

    // Sold out: the visitor's menu shows it without a reload.
    await row.locator('button.eighty-six').click();
    await page.waitForSelector(`.menu-row[data-item="${itemId}"][data-sold-out="true"]`);
    await page.waitForSelector('#menu-notice:has-text("Spicy wings is sold out on every menu.")');
    await visitor.waitForSelector(`.menu-item[data-item="${itemId}"][data-sold-out="true"]`);
    expect(await visitor.evaluate('window.__sameDocument')).toBe(true);
    expect(await onMenu.textContent()).toContain('Sold out');
    await shoot(page, '04-sold-out-admin-en');
    await shoot(visitor, '05-sold-out-visitor');
    expect(unwrap(await env.api.adminMenu(token)).items.find((i) => i.itemId === itemId)?.soldOut).toBe(true);

    // And back.
    await row.locator('button.back').click();
    await page.waitForSelector(`.menu-row[data-item="${itemId}"][data-sold-out="false"]`);
    await visitor.waitForSelector(`.menu-item[data-item="${itemId}"][data-sold-out="false"]`);
    expect(await visitor.evaluate('window.__sameDocument')).toBe(true);
    await shoot(visitor, '06-back-visitor');

    // The editor in Arabic, right to left: names, prices and days through Intl.
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('h1')).toBe('قائمة الطعام');
    expect(await row.textContent()).toContain(sar(3_150, 'ar-SA-u-ca-gregory-nu-arab'));
    expect(await row.locator('.badge').textContent()).toBe('متاح');
    // Modifiers and choices by their Arabic names.
    expect(await row.locator('[data-modifier="dip"]').textContent()).toBe(`الصلصة (اختر ١): رانش، جبنة زرقاء +${sar(350, 'ar-SA-u-ca-gregory-nu-arab')}`);
    expect(await row.locator('button.eighty-six').getAttribute('aria-label')).toBe('اجعله نافدًا: أجنحة حارة');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '07-menu-ar');
    await expectOneLineHeader(page, '07-header-1280-ar');
    await row.locator('button.edit').click();
    await page.waitForSelector('#item-form');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '08-edit-item-ar');

    // Its Arabic name cleared: gone from the hub, the English name shows instead, on the visitor's
    // open menu in Arabic too (without a reload).
    await visitor.click('button.lang');
    await textShows(visitor, `.menu-item[data-item="${itemId}"]`, 'أجنحة حارة');
    expect(await page.inputValue('#item-name-ar')).toBe('أجنحة حارة');
    await page.fill('#item-name-ar', '');
    await page.click('#item-save');
    await page.waitForSelector(`.menu-row[data-item="${itemId}"]:not(:has(.item-name-ar))`);
    expect(await row.locator('button.eighty-six').getAttribute('aria-label')).toBe('اجعله نافدًا: Spicy wings');
    expect(unwrap(await env.api.adminMenu(token)).items.find((i) => i.itemId === itemId)?.translations).toBeUndefined();
    expect(unwrap(await env.api.menu()).categories.flatMap((c) => c.items).find((i) => i.itemId === itemId)?.translations).toBeUndefined();
    await textShows(visitor, `.menu-item[data-item="${itemId}"] label`, 'Spicy wings');
    expect(await visitor.evaluate('window.__sameDocument')).toBe(true);
    expect(await visitor.getAttribute('html', 'dir')).toBe('rtl');
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a super admin creates a category named in English and Arabic, renames it and moves it up; a visitor’s open menu follows without a reload', async () => {
    const problems: string[] = [];
    const admin = await staffMember('super_admin', 'Salma Super');
    const page = await openPage(problems);
    await signInAt(page, admin.email);
    await page.click('#nav-menu');
    await page.waitForSelector('.menu-category[data-category="desserts"]');
    const token = await accessTokenOf(page);
    const visitor = await openPage(problems, PHONE);
    await visitor.goto(env.url);
    await visitor.evaluate(`localStorage.setItem('vh.access', ${JSON.stringify(env.node.visitorToken)}); localStorage.setItem('vh.accessExpiresAt', String(Date.now() + 3600000))`);
    await visitor.goto(`${env.url}/activities/wave-pool`);
    await visitor.waitForSelector('.food .menu-item[data-item="date-ice-cream"]');
    await visitor.evaluate('window.__sameDocument = true');
    const visitorCategories = () => visitor.$$eval('.food .menu-category-name', (names) => names.map((n) => n.textContent?.trim() ?? ''));

    // A new category: a place that is not a number is the form's own refusal; then created, after the last.
    await page.click('#new-category');
    await page.waitForSelector('#category-form');
    expect(await page.inputValue('#category-sort')).toBe('50');
    await page.fill('#category-id', categoryId);
    await page.fill('#category-name', 'Hot drinks');
    await page.fill('#category-name-ar', 'مشروبات ساخنة');
    await page.fill('#category-description', 'Tea and coffee.');
    await page.fill('#category-sort', 'last');
    await page.click('#category-save');
    await page.waitForSelector('#category-problem:has-text("whole number")');
    await page.fill('#category-sort', '50');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '10-new-category-en');
    await page.click('#category-save');
    const section = page.locator(`.menu-category[data-category="${categoryId}"]`);
    await section.waitFor();
    await page.waitForSelector('#menu-notice:has-text("Hot drinks is a new category.")');
    expect(await section.locator('h2').textContent()).toBe('Hot drinks · مشروبات ساخنة');
    expect(await page.$$eval('.menu-category', (all) => all.map((c) => c.getAttribute('data-category')))).toEqual(['mains', 'snacks', 'drinks', 'desserts', categoryId]);
    expect(unwrap(await env.api.adminMenu(token)).categories.find((c) => c.categoryId === categoryId)).toEqual({ categoryId, name: 'Hot drinks', description: 'Tea and coffee.', sort: 50, active: true, translations: { ar: { name: 'مشروبات ساخنة' } } });
    // An item in it (through the hub's route): the visitor's open menu shows the category with it.
    unwrap(await env.api.createCatalogItem('menu_item', { itemId: `karak-${run}`, categoryId, name: 'Karak tea', price: 600, station: 'drinks', prepMinutes: 2, translations: { ar: { name: 'شاي كرك' } } }, token));
    await visitor.waitForSelector(`.food .menu-item[data-item="karak-${run}"]`);
    expect((await visitorCategories()).at(-1)).toBe('Hot drinks');

    // Renamed in both languages: the editor and the visitor's open menu show the new names.
    await section.locator('button.edit-category').click();
    await page.waitForSelector('#category-form');
    expect(await page.isDisabled('#category-id')).toBe(true);
    expect(await page.inputValue('#category-name-ar')).toBe('مشروبات ساخنة');
    await page.fill('#category-name', 'Tea and coffee');
    await page.fill('#category-name-ar', 'شاي وقهوة');
    await page.click('#category-save');
    await page.waitForSelector(`.menu-category[data-category="${categoryId}"] h2:has-text("Tea and coffee")`);
    expect(await section.locator('h2').textContent()).toBe('Tea and coffee · شاي وقهوة');
    await textShows(visitor, '.food .menu-category-name', 'Tea and coffee');

    // A place up: before the desserts, in the editor and on the visitor's open menu.
    await section.locator('button.move-up').click();
    await page.waitForSelector('#menu-notice:has-text("Tea and coffee has moved on every menu.")');
    await textsBecome(page, '.menu-category h2 > span[lang="en"]', ['Mains', 'Snacks', 'Drinks', 'Tea and coffee', 'Desserts']);
    await textsBecome(visitor, '.food .menu-category-name', ['Mains', 'Snacks', 'Drinks', 'Tea and coffee', 'Desserts']);
    expect(await visitor.evaluate('window.__sameDocument')).toBe(true);
    expect(await section.locator('button.move-up').isDisabled()).toBe(false);
    expect(await page.locator('.menu-category[data-category="mains"] button.move-up').isDisabled()).toBe(true);
    await shoot(page, '11-category-moved-en');
    await shoot(visitor, '12-category-visitor');

    // In Arabic, right to left; the visitor reading Arabic sees the Arabic names.
    await page.click('button.lang');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await section.locator('button.edit-category').getAttribute('aria-label')).toBe('تعديل القسم: شاي وقهوة');
    await section.locator('button.edit-category').click();
    await page.waitForSelector('#category-form');
    expect(await page.textContent('#category-form-title')).toBe('تعديل القسم شاي وقهوة');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '13-edit-category-ar');
    await visitor.click('button.lang');
    await textShows(visitor, '.food .menu-category-name', 'شاي وقهوة');
    expect(await visitor.textContent(`.food .menu-item[data-item="karak-${run}"]`)).toContain('شاي كرك');
    // A modifier asked of the visitor, in Arabic: the fries' size.
    const fries = visitor.locator('.food .menu-item[data-item="loaded-fries"]');
    await fries.locator('.stepper button').last().click();
    await fries.locator('select').waitFor();
    expect(await fries.locator('label.hint').textContent()).toContain('الحجم');
    expect(await fries.locator('select option').allTextContents()).toEqual(['عادي', `كبير (+${sar(500, 'ar-SA-u-ca-gregory-nu-arab')})`]);
    await fries.scrollIntoViewIfNeeded();
    await shoot(visitor, '14-modifier-visitor-ar');
    expect(await page.locator('.menu-row[data-item="loaded-fries"] [data-modifier="size"]').textContent()).toContain('الحجم (اختر ١): عادي، كبير');
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('kitchen staff see only the menu and mark items sold out, but neither create nor edit; the hub refuses the create', async () => {
    const problems: string[] = [];
    const cook = await staffMember('kitchen_staff', 'Khalid Kitchen');
    const page = await openPage(problems);
    await signInAt(page, cook.email);
    expect(await sectionsShown(page)).toEqual(['menu']);
    await page.waitForURL(/\/admin\/menu$/);
    const row = page.locator('.menu-row[data-item="fresh-orange-juice"]');
    await row.waitFor();
    expect(await page.$('#new-item')).toBeNull();
    expect(await page.$('#new-category')).toBeNull();
    expect(await row.locator('button.edit').count()).toBe(0);
    expect(await page.locator('button.edit-category, button.move-up, button.move-down').count()).toBe(0);
    await row.locator('button.eighty-six').click();
    await page.waitForSelector('.menu-row[data-item="fresh-orange-juice"][data-sold-out="true"]');
    expect(await accessibilityProblems(page)).toEqual([]);
    await shoot(page, '09-kitchen-staff-en');
    await row.locator('button.back').click();
    await page.waitForSelector('.menu-row[data-item="fresh-orange-juice"][data-sold-out="false"]');

    const token = await accessTokenOf(page);
    const refused = await env.api.createCatalogItem('menu_item', { itemId: `cook-${run}`, categoryId: 'snacks', name: 'Off the books', price: 100, station: 'fryer', prepMinutes: 1 }, token);
    expect(refused.ok ? 'created' : refused.code).toBe('auth.forbidden');
    // Categories are the catalog's too: neither created nor renamed nor moved by kitchen staff.
    const category = await env.api.createCatalogItem('menu_category', { categoryId: `cook-${run}`, name: 'Off the books' }, token);
    expect(category.ok ? 'created' : category.code).toBe('auth.forbidden');
    const renamed = await env.api.updateCatalogItem('menu_category', 'mains', { name: 'Renamed', sort: 0 }, token);
    expect(renamed.ok ? 'renamed' : renamed.code).toBe('auth.forbidden');
    expect(unwrap(await env.api.adminMenu(token)).categories.find((c) => c.categoryId === 'mains')).toMatchObject({ name: 'Mains' });
    expect(unwrap(await env.api.adminMenu(token)).categories.some((c) => c.categoryId === `cook-${run}`)).toBe(false);
    expect(problems).toEqual([]);
  }, SCENARIO_MS);

  it('a booking admin has no menu: not in the navigation, not by its address, refused by the hub', async () => {
    const problems: string[] = [];
    const bookings = await staffMember('booking_admin', 'Bushra Bookings');
    const page = await openPage(problems);
    await signInAt(page, bookings.email);
    expect(await sectionsShown(page)).not.toContain('menu');
    await page.goto(`${env.url}/admin/menu`);
    await page.waitForURL(/\/admin\/dashboard$/);
    expect(await page.$('#menu-editor')).toBeNull();
    const token = await accessTokenOf(page);
    const list = await env.api.adminMenu(token);
    expect(list.ok ? 'listed' : list.code).toBe('auth.forbidden');
    const eightySix = await env.api.setSoldOut('beef-burger', { soldOut: true }, token);
    expect(eightySix.ok ? 'sold out' : eightySix.code).toBe('auth.forbidden');
    expect(unwrap(await env.api.menu()).categories.flatMap((c) => c.items).find((i) => i.itemId === 'beef-burger')?.soldOut).toBe(false);
    expect(problems).toEqual([]);
  }, SCENARIO_MS);
});
