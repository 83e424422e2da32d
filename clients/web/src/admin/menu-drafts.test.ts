import { describe, expect, it } from 'vitest';
import type { MenuCategory } from '../../../../machines/contract/wire.js';
import { categoryDraftOf, categoryEntityOf, inMenuOrder, moveCategory } from './menu-drafts.js';

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
