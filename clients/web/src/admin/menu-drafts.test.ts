import { describe, expect, it } from 'vitest';
import type { MenuCategory } from '../../../../machines/contract/wire.js';
import { categoryDraftOf, categoryEntityOf, draftOf, entityOf, inMenuOrder, moveCategory } from './menu-drafts.js';

const category = (categoryId: string, sort: number, over: Partial<MenuCategory> = {}): MenuCategory => ({ categoryId, name: categoryId, description: '', sort, active: true, ...over });
const MENU = [category('drinks', 30), category('mains', 10), category('snacks', 20), category('desserts', 40)];

describe('the category form', () => {
  it('places a new category after the last and fills an existing one from its fields', () => {
    expect(categoryDraftOf(null, MENU)).toMatchObject({ categoryId: '', sort: '50', active: true });
    expect(categoryDraftOf(null, [])).toMatchObject({ sort: '10' });
    expect(categoryDraftOf(category('mains', 10, { translations: { ar: { name: 'الأطباق الرئيسية' } } }), MENU)).toEqual({ categoryId: 'mains', name: 'mains', nameAr: 'الأطباق الرئيسية', description: '', sort: '10', active: true });
  });

  it('sends the place as a number (Arabic digits too) with the Arabic name, keeping an Arabic description', () => {
    const previous = category('mains', 10, { translations: { ar: { name: 'رئيسية', description: 'من الشواية' } } });
    const draft = { ...categoryDraftOf(previous, MENU), name: 'Grill', nameAr: ' مشويات ', sort: '١٥' };
    expect(categoryEntityOf(draft, previous)).toEqual({ ok: true, entity: { categoryId: 'mains', name: 'Grill', description: '', sort: 15, active: true, translations: { ar: { name: 'مشويات', description: 'من الشواية' } } } });
    // The Arabic name cleared is sent as null (the hub removes it); a new category without one sends none.
    expect(categoryEntityOf({ ...draft, nameAr: ' ' }, previous)).toMatchObject({ ok: true, entity: { translations: null } });
    expect(categoryEntityOf({ ...categoryDraftOf(null, MENU), categoryId: 'tea', name: 'Tea' }, null)).toEqual({ ok: true, entity: { categoryId: 'tea', name: 'Tea', description: '', sort: 50, active: true } });
    expect(categoryEntityOf({ ...draft, sort: 'last' }, previous)).toEqual({ ok: false });
    expect(categoryEntityOf({ ...draft, sort: '-1' }, previous)).toEqual({ ok: false });
  });

  it('moves a category a place by numbering the menu 10, 20, … and saving only the places that change', () => {
    expect(inMenuOrder(MENU).map((c) => c.categoryId)).toEqual(['mains', 'snacks', 'drinks', 'desserts']);
    expect(moveCategory(MENU, 'desserts', -1)).toEqual([
      { categoryId: 'desserts', sort: 30 },
      { categoryId: 'drinks', sort: 40 },
    ]);
    expect(moveCategory(MENU, 'mains', 1)).toEqual([
      { categoryId: 'snacks', sort: 10 },
      { categoryId: 'mains', sort: 20 },
    ]);
    expect(moveCategory(MENU, 'mains', -1)).toEqual([]);
    expect(moveCategory(MENU, 'desserts', 1)).toEqual([]);
    expect(moveCategory(MENU, 'nowhere', 1)).toEqual([]);
    // Equal places (ordered by id) are numbered apart.
    const tied = [category('b', 0), category('a', 0), category('c', 0)];
    expect(moveCategory(tied, 'c', -1)).toEqual([
      { categoryId: 'a', sort: 10 },
      { categoryId: 'c', sort: 20 },
      { categoryId: 'b', sort: 30 },
    ]);
  });
});

describe('the item form', () => {
  const wings = { itemId: 'wings', categoryId: 'snacks', name: 'Spicy wings', description: '', price: 2_900, vatPercent: 15, station: 'fryer', prepMinutes: 9, allergens: [], dietary: [], windows: [], soldOut: false, active: true };
  const dip = { modifierId: 'dip', name: 'Dip', min: 1, max: 1, choices: [{ choiceId: 'ranch', name: 'Ranch', price: 0, translations: { ar: { name: 'رانش' } } }] };

  it('sends a cleared Arabic name as null, so the hub removes it, and modifiers and choices with their Arabic names', () => {
    const item = { ...wings, modifiers: [dip], translations: { ar: { name: 'أجنحة حارة', description: 'ستة أجنحة' } } };
    const draft = draftOf(item, []);
    expect(draft).toMatchObject({ nameAr: 'أجنحة حارة', modifiers: [{ nameAr: '', choices: [{ nameAr: 'رانش' }] }] });
    const kept = entityOf(draft, item);
    expect(kept.ok && kept.entity['translations']).toEqual({ ar: { name: 'أجنحة حارة', description: 'ستة أجنحة' } });
    const named = entityOf({ ...draft, modifiers: draft.modifiers.map((m) => ({ ...m, nameAr: ' الصلصة ' })) }, item);
    expect(named.ok && named.entity['modifiers']).toEqual([{ modifierId: 'dip', name: 'Dip', min: 1, max: 1, translations: { ar: { name: 'الصلصة' } }, choices: [{ choiceId: 'ranch', name: 'Ranch', price: 0, translations: { ar: { name: 'رانش' } } }] }]);
    const cleared = entityOf({ ...draft, nameAr: '' }, item);
    expect(cleared.ok && cleared.entity['translations']).toBeNull();
    const created = entityOf({ ...draftOf(null, []), itemId: 'tea', name: 'Tea', price: '6' }, null);
    expect(created.ok && 'translations' in created.entity).toBe(false);
  });
});
