/**
 * The menu on the real catalog store (temp SQLite): admins create categories and items through the
 * catalog admin, the menu shows VAT and what can be ordered now, orders are priced from the menu
 * with coded refusals, 86 / back is audited and heard by listeners, and every other edit is heard
 * as the whole menu.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuChanged, MenuUpdated } from '../../machines/contract/food.js';
import type { CatalogSaved } from '../catalog/catalog-admin.js';
import { openCatalogHarness, SUPER, type CatalogHarness } from '../catalog/catalog.test-support.js';
import { DEMO_CATALOG, seedDemoCatalog } from '../catalog/demo-venue.js';
import { silentLogger } from '../logger.js';
import { createMenuService, type MenuService } from './menu-service.js';

// Friday 2025-06-13, 12:30 in Riyadh (09:30 UTC): lunch is on.
const FRIDAY_LUNCH = Date.UTC(2025, 5, 13, 9, 30);
const FRIDAY_EVENING = Date.UTC(2025, 5, 13, 15, 0); // 18:00 in Riyadh
const KITCHEN = { who: 'user:chef-1', role: 'kitchen_staff' };

let h: CatalogHarness;
let menu: MenuService;

beforeEach(async () => {
  h = await openCatalogHarness(FRIDAY_LUNCH);
  await seedDemoCatalog(h.catalog, silentLogger, FRIDAY_LUNCH);
  menu = createMenuService({ store: h.store, audit: h.actors.audit, clock: () => h.now.value, timeZone: 'Asia/Riyadh', log: silentLogger });
});
afterEach(async () => {
  await h.close();
});

const burger = (modifiers: Array<{ modifierId: string; choiceId: string }> = [{ modifierId: 'doneness', choiceId: 'medium' }], qty = 1) => ({ itemId: 'beef-burger', qty, modifiers });

describe('menu', () => {
  it('shows active categories in order with their items, VAT inside each price, and what can be ordered now', async () => {
    const view = await menu.menu();
    expect(view.categories.map((c) => c.categoryId)).toEqual(['mains', 'snacks', 'drinks', 'desserts']);
    const mains = view.categories[0]?.items ?? [];
    expect(mains.find((i) => i.itemId === 'beef-burger')).toMatchObject({ price: 3_800, vatPercent: 15, vat: 496, station: 'grill', orderable: true, allergens: expect.arrayContaining(['milk']), translations: { ar: { name: 'برجر لحم' } } });
    expect(view.categories[0]?.translations).toEqual({ ar: { name: 'الأطباق الرئيسية' } });
    // Modifiers and their choices carry their Arabic names to the menu.
    expect(mains.find((i) => i.itemId === 'beef-burger')?.modifiers[0]).toMatchObject({ name: 'Cooked', translations: { ar: { name: 'درجة الطهي' } }, choices: [{ name: 'Medium', translations: { ar: { name: 'متوسط' } } }, { name: 'Well done', translations: { ar: { name: 'مطهو جيدًا' } } }] });
    expect(DEMO_CATALOG.menu_item.flatMap((i) => i.modifiers).filter((m) => m.translations?.ar === undefined || m.choices.some((c) => c.translations?.ar === undefined))).toEqual([]);
    h.now.value = FRIDAY_EVENING;
    const evening = await menu.menu();
    const items = evening.categories.flatMap((c) => c.items);
    expect(items.find((i) => i.itemId === 'beef-burger')?.orderable).toBe(false);
    expect(items.find((i) => i.itemId === 'mint-lemonade')?.orderable).toBe(true);
    expect(DEMO_CATALOG.menu_item.length).toBe(items.length);
  });

  it('admins create and change menu entities through the catalog admin; an item must name an existing category', async () => {
    const created = await h.catalog.create('menu_item', { itemId: 'tea', categoryId: 'drinks', name: 'Karak tea', price: 600, station: 'drinks', prepMinutes: 2 }, SUPER);
    expect(created).toMatchObject({ ok: true, data: { itemId: 'tea', vatPercent: 15, soldOut: false, windows: [] } });
    expect(await h.catalog.create('menu_item', { itemId: 'cake', categoryId: 'cakes', name: 'Cake', price: 900, station: 'cold', prepMinutes: 1 }, SUPER)).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await h.catalog.create('menu_item', { itemId: 'bad', categoryId: 'drinks', name: 'Bad', price: 1, station: 'drinks', prepMinutes: 1, windows: [{ from: '16:00', to: '11:00' }] }, SUPER)).toMatchObject({ ok: false, code: 'catalog.invalid' });
    expect(await h.catalog.update('menu_item', 'tea', { price: 700 }, SUPER)).toMatchObject({ ok: true, data: { price: 700 } });
    expect(await h.catalog.update('menu_item', 'tea', { translations: { ar: { name: 'شاي كرك' } } }, SUPER)).toMatchObject({ ok: true, data: { price: 700, translations: { ar: { name: 'شاي كرك' } } } });
    expect(await h.catalog.update('menu_item', 'tea', { translations: { fr: { name: 'Thé' } } }, SUPER)).toMatchObject({ ok: false, code: 'catalog.invalid' });
    const sugar = { modifierId: 'sugar', name: 'Sugar', translations: { ar: { name: 'السكر' } }, min: 1, max: 1, choices: [{ choiceId: 'none', name: 'No sugar', translations: { ar: { name: 'بدون سكر' } } }] };
    expect(await h.catalog.update('menu_item', 'tea', { modifiers: [sugar] }, SUPER)).toMatchObject({ ok: true, data: { modifiers: [{ translations: { ar: { name: 'السكر' } }, choices: [{ translations: { ar: { name: 'بدون سكر' } }, price: 0 }] }] } });
    expect(await h.catalog.update('menu_item', 'tea', { modifiers: [{ ...sugar, translations: { ar: { name: '' } } }] }, SUPER)).toMatchObject({ ok: false, code: 'catalog.invalid' });
    expect(await h.catalog.update('menu_item', 'tea', { modifiers: [{ ...sugar, choices: [{ choiceId: 'none', name: 'No sugar', translations: { fr: { name: 'Sans sucre' } } }] }] }, SUPER)).toMatchObject({ ok: false, code: 'catalog.invalid' });
    expect(await h.catalog.create('menu_category', { categoryId: 'hot-drinks', name: 'Hot drinks' }, { userId: 'chef-1', role: 'kitchen_staff' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
  });

  it('every stored edit of a category or item is heard (the catalog says what it saved), then the whole menu after it', async () => {
    const saved: CatalogSaved[] = [];
    const stopSaved = h.catalog.onSaved((s) => saved.push(s));
    const heard: MenuUpdated[] = [];
    const stop = menu.onUpdate((update) => heard.push(update));
    expect((await h.catalog.update('menu_item', 'beef-burger', { price: 4_000 }, SUPER)).ok).toBe(true);
    h.now.value += 1_000;
    expect((await h.catalog.create('menu_category', { categoryId: 'hot-drinks', name: 'Hot drinks', sort: 5, translations: { ar: { name: 'مشروبات ساخنة' } } }, SUPER)).ok).toBe(true);
    // Refused changes are not saved, so nobody hears of them.
    expect((await h.catalog.update('menu_item', 'beef-burger', { price: -1 }, SUPER)).ok).toBe(false);
    expect((await h.catalog.create('menu_category', { categoryId: 'cakes', name: 'Cakes' }, { userId: 'chef-1', role: 'kitchen_staff' })).ok).toBe(false);
    expect(saved).toEqual([
      { kind: 'menu_item', id: 'beef-burger', at: FRIDAY_LUNCH },
      { kind: 'menu_category', id: 'hot-drinks', at: FRIDAY_LUNCH + 1_000 },
    ]);
    for (const s of saved) if (s.kind === 'menu_item' || s.kind === 'menu_category') await menu.edited({ kind: s.kind, id: s.id }, s.at);
    expect(heard.map((u) => [u.edit, u.at])).toEqual([
      [{ kind: 'menu_item', id: 'beef-burger' }, FRIDAY_LUNCH],
      [{ kind: 'menu_category', id: 'hot-drinks' }, FRIDAY_LUNCH + 1_000],
    ]);
    // Each carries the menu's revision it reflects (both writes were stored before it was read).
    const now = (await menu.menu()).version;
    expect(heard.map((u) => [u.version, u.menu.version])).toEqual([
      [now, now],
      [now, now],
    ]);
    const last = heard[1]?.menu;
    expect(last?.categories.map((c) => c.categoryId)).toEqual(['hot-drinks', 'mains', 'snacks', 'drinks', 'desserts']);
    expect(last?.categories[1]?.items.find((i) => i.itemId === 'beef-burger')).toMatchObject({ price: 4_000, vat: 522 });
    stop();
    stopSaved();
    await menu.edited({ kind: 'menu_item', id: 'beef-burger' }, FRIDAY_LUNCH);
    expect(heard).toHaveLength(2);
  });

  it('prices an order from the menu: modifiers priced, VAT summed, the longest prep time', async () => {
    const priced = await menu.priceOrder({ lines: [burger([{ modifierId: 'doneness', choiceId: 'medium' }, { modifierId: 'add-ons', choiceId: 'cheese' }], 2), { itemId: 'mint-lemonade', qty: 1, modifiers: [{ modifierId: 'sugar', choiceId: 'no-sugar' }] }], pickup: { mode: 'on_arrival' } }, FRIDAY_LUNCH);
    expect(priced.ok).toBe(true);
    if (!priced.ok) return;
    expect(priced.data.lines.map((l) => [l.itemId, l.station, l.qty, l.unitPrice])).toEqual([
      ['beef-burger', 'grill', 2, 4_200],
      ['mint-lemonade', 'drinks', 1, 1_500],
    ]);
    expect(priced.data.lines[0]?.modifiers.map((m) => m.name)).toEqual(['Cooked: Medium', 'Add: Cheddar']);
    expect(priced.data).toMatchObject({ total: 9_900, vat: 1_096 + 196, prepMinutes: 14 });
    // Both names kept on the lines and their choices, in English and in Arabic.
    expect(priced.data.lines.map((l) => [l.name, l.nameAr])).toEqual([
      ['Beef burger', 'برجر لحم'],
      ['Mint lemonade', 'ليمون بالنعناع'],
    ]);
    expect(priced.data.lines[0]?.modifiers.map((m) => m.nameAr)).toEqual(['درجة الطهي: متوسط', 'أضف: جبن شيدر']);
  });

  it('prices a dish the menu names in English only without an Arabic name, and a choice named in Arabic with its English modifier', async () => {
    const sugar = { modifierId: 'sugar', name: 'Sugar', min: 1, max: 1, choices: [{ choiceId: 'none', name: 'No sugar', translations: { ar: { name: 'بدون سكر' } } }] };
    expect((await h.catalog.create('menu_item', { itemId: 'tea', categoryId: 'drinks', name: 'Karak tea', price: 600, station: 'drinks', prepMinutes: 2, modifiers: [sugar] }, SUPER)).ok).toBe(true);
    const priced = await menu.priceOrder({ lines: [{ itemId: 'tea', qty: 1, modifiers: [{ modifierId: 'sugar', choiceId: 'none' }] }], pickup: { mode: 'on_arrival' } }, FRIDAY_LUNCH);
    if (!priced.ok) throw new Error(priced.message);
    expect(priced.data.lines[0]).toMatchObject({ name: 'Karak tea', modifiers: [{ name: 'Sugar: No sugar', nameAr: 'Sugar: بدون سكر' }] });
    expect(priced.data.lines[0]?.nameAr).toBeUndefined();
  });

  it('refuses bad orders with a code: client prices, sold out, outside its window, modifiers of another item, wrong counts', async () => {
    const at = FRIDAY_LUNCH;
    const order = (lines: unknown[], extra: object = {}) => menu.priceOrder({ lines, pickup: { mode: 'on_arrival' }, ...extra }, at);
    expect(await order([burger()], { total: 100 })).toMatchObject({ ok: false, code: 'order.priced_by_client' });
    expect(await order([{ ...burger(), price: 1 }])).toMatchObject({ ok: false, code: 'order.priced_by_client', message: expect.stringContaining('lines.0.price') });
    expect(await order([{ itemId: 'beef-burger' }])).toMatchObject({ ok: false, code: 'input.invalid' });
    expect(await order([{ itemId: 'caviar', qty: 1 }])).toMatchObject({ ok: false, code: 'catalog.not_found' });
    // A modifier of the chicken plate on a burger, a choice of another modifier, a required one missing, too many.
    expect(await order([burger([{ modifierId: 'doneness', choiceId: 'medium' }, { modifierId: 'bread', choiceId: 'saj' }])])).toMatchObject({ ok: false, code: 'menu.modifier_invalid' });
    expect(await order([burger([{ modifierId: 'doneness', choiceId: 'saj' }])])).toMatchObject({ ok: false, code: 'menu.modifier_invalid' });
    expect(await order([burger([])])).toMatchObject({ ok: false, code: 'menu.modifier_invalid', message: expect.stringContaining('exactly 1') });
    expect(await order([burger([{ modifierId: 'doneness', choiceId: 'medium' }, { modifierId: 'doneness', choiceId: 'well-done' }])])).toMatchObject({ ok: false, code: 'menu.modifier_invalid' });
    expect(await menu.priceOrder({ lines: [burger()], pickup: { mode: 'on_arrival' } }, FRIDAY_EVENING)).toMatchObject({ ok: false, code: 'menu.unavailable' });
    expect((await menu.setSoldOut('beef-burger', { soldOut: true }, KITCHEN)).ok).toBe(true);
    expect(await order([burger()])).toMatchObject({ ok: false, code: 'menu.sold_out' });
  });

  it('86 and back: stored, shown, audited with who did it, and heard by every listener, each one revision of the menu', async () => {
    const heard: MenuChanged[] = [];
    const stop = menu.onChange((change) => heard.push(change));
    const before = (await menu.menu()).version;
    expect(before).toBeGreaterThan(0);
    expect(await menu.setSoldOut('falafel-wrap', { soldOut: true }, KITCHEN)).toMatchObject({ ok: true, data: { soldOut: true, orderable: false } });
    const after86 = await menu.menu();
    expect(after86.version).toBe(before + 1);
    expect(after86.categories[0]?.items.find((i) => i.itemId === 'falafel-wrap')).toMatchObject({ soldOut: true, orderable: false });
    h.now.value += 60_000;
    expect(await menu.setSoldOut('falafel-wrap', { soldOut: false }, KITCHEN)).toMatchObject({ ok: true, data: { soldOut: false, orderable: true } });
    expect(heard).toEqual([
      { version: before + 1, itemId: 'falafel-wrap', soldOut: true, at: FRIDAY_LUNCH },
      { version: before + 2, itemId: 'falafel-wrap', soldOut: false, at: FRIDAY_LUNCH + 60_000 },
    ]);
    // Told again when nothing changed, as the next step (a screen that missed the last push sees a gap).
    expect((await menu.setSoldOut('falafel-wrap', { soldOut: false }, KITCHEN)).ok).toBe(true);
    expect(heard.at(-1)).toEqual({ version: before + 3, itemId: 'falafel-wrap', soldOut: false, at: FRIDAY_LUNCH + 60_000 });
    expect((await menu.menu()).version).toBe(before + 3);
    heard.pop();
    expect(await menu.setSoldOut('nothing', { soldOut: true }, KITCHEN)).toMatchObject({ ok: false, code: 'catalog.not_found' });
    expect(await menu.setSoldOut('falafel-wrap', { soldOut: 'yes' }, KITCHEN)).toMatchObject({ ok: false, code: 'input.invalid' });
    stop();
    await menu.setSoldOut('falafel-wrap', { soldOut: true }, KITCHEN);
    expect(heard).toHaveLength(2);
    const rows = await h.actors.audit.list({ limit: 10, who: 'user:chef-1' });
    expect(rows.map((r) => [r.action, r.target, r.outcome, r.detail?.['soldOut'] ?? null])).toEqual([
      ['menu.sold_out', 'menu_item/falafel-wrap', 'allowed', true],
      ['menu.sold_out', 'menu_item/nothing', 'failed', null],
      ['menu.sold_out', 'menu_item/falafel-wrap', 'allowed', false],
      ['menu.sold_out', 'menu_item/falafel-wrap', 'allowed', false],
      ['menu.sold_out', 'menu_item/falafel-wrap', 'allowed', true],
    ]);
  });
});
