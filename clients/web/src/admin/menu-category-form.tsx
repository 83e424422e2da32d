/**
 * The menu category form: create a category or rename one (English and Arabic), its description,
 * its place on menus (`sort`, lower first) and whether menus show it. Super admins only: the hub
 * refuses anyone else (`catalog.create` / `catalog.update`), whatever this page shows.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MenuCategory } from '../../../../machines/contract/wire.js';
import type { HubResult } from '../../../sdk/index.js';
import { localized } from '../catalog.js';
import { api, signedInCall } from '../session.js';
import { categoryDraftOf, categoryEntityOf } from './menu-drafts.js';
import type { CategoryDraft } from './menu-drafts.js';
import { Field, ProblemText } from './menu-form.js';
import type { Problem } from './menu-form.js';
import { ta } from './messages.js';

/** The form of one category, or of a new one (`category` null). */
export function CategoryForm(props: { category: MenuCategory | null; categories: readonly MenuCategory[]; onSaved: (category: MenuCategory, created: boolean) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<CategoryDraft>(() => categoryDraftOf(props.category, props.categories));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  const editing = props.category !== null;
  const set = (change: Partial<CategoryDraft>) => setDraft({ ...draft, ...change });
  useEffect(() => document.getElementById('category-form')?.scrollIntoView({ block: 'start' }), []);

  async function submit(event: Event) {
    event.preventDefault();
    const built = categoryEntityOf(draft, props.category);
    if (!built.ok) return setProblem({ code: '', message: ta('menu.sortInvalid') });
    setSaving(true);
    let answer: HubResult<MenuCategory>;
    if (props.category === null) {
      answer = (await signedInCall((token) => api.createCatalogItem('menu_category', built.entity as Parameters<typeof api.createCatalogItem<'menu_category'>>[1], token))) as HubResult<MenuCategory>;
    } else {
      const { categoryId: _id, ...patch } = built.entity;
      const categoryId = props.category.categoryId;
      answer = (await signedInCall((token) => api.updateCatalogItem('menu_category', categoryId, patch, token))) as HubResult<MenuCategory>;
    }
    setSaving(false);
    if (!answer.ok) return setProblem({ code: answer.code, message: answer.message });
    setProblem(null);
    props.onSaved(answer.data, !editing);
  }

  const title = editing ? ta('menu.editCategoryTitle', { name: localized(props.category ?? { name: '' }).name }) : ta('menu.newCategoryTitle');
  return (
    <form class="panel item-form" id="category-form" aria-labelledby="category-form-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="category-form-title">{title}</h2>
      <div class="grid">
        <Field id="category-id" label="menu.categoryId" dir="ltr" value={draft.categoryId} disabled={editing} onInput={(categoryId) => set({ categoryId })} />
        <Field id="category-name" label="menu.nameEn" dir="auto" lang="en" value={draft.name} onInput={(name) => set({ name })} />
        <Field id="category-name-ar" label="menu.nameAr" dir="rtl" lang="ar" value={draft.nameAr} onInput={(nameAr) => set({ nameAr })} />
        <Field id="category-sort" label="menu.sort" dir="ltr" inputMode="numeric" value={draft.sort} onInput={(sort) => set({ sort })} />
      </div>
      <div class="field">
        <label for="category-description">{ta('menu.description')}</label>
        <textarea id="category-description" rows={2} dir="auto" value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />
      </div>
      <label class="check">
        <input type="checkbox" id="category-active" checked={draft.active} onChange={(e) => set({ active: e.currentTarget.checked })} /> {ta('menu.active')}
      </label>
      {problem ? (
        <p class="error" role="alert" id="category-problem" data-code={problem.code}>
          <ProblemText problem={problem} />
        </p>
      ) : null}
      <div class="row">
        <button type="submit" id="category-save" disabled={saving}>
          {editing ? ta('menu.save') : ta('menu.createCategory')}
        </button>
        <button type="button" class="quiet" onClick={props.onCancel}>
          {ta('menu.cancel')}
        </button>
      </div>
    </form>
  );
}
