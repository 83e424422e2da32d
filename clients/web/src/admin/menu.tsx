/**
 * The menu editor (super admins and kitchen staff, policy row `menu.admin`): every category and
 * item, hidden ones too, with the price (VAT inside it, in SAR), station, prep time, allergens,
 * dietary tags, modifiers and their prices and the serving hours. Super admins create and change
 * items and categories (names in English and Arabic, a category's place on menus: the catalog's
 * routes, `catalog.create` / `catalog.update`, which the hub refuses anyone else); whoever may (`menu.sold_out`)
 * marks an item sold out and back, which every open menu hears at once (`menu:changed`); every
 * other saved change reaches open menus as the whole menu (`menu:updated`). The editor follows the
 * menu too, so an 86 or an edit from another screen shows here without a reload.
 *
 * A refusal shows the hub's message and code as they came: the hub is the one that checks.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AvailabilityWindow, MenuAdminView, MenuCategory, MenuItem, Modifier } from '../../../../machines/contract/wire.js';
import { vatOf } from '../../../../machines/contract/wire.js';
import { localized } from '../catalog.js';
import { money } from '../format.js';
import { lang, localeOf } from '../i18n.js';
import { api, hub, signedInCall } from '../session.js';
import { can } from './access.js';
import { CategoryForm } from './menu-category-form.js';
import { inMenuOrder, moveCategory } from './menu-drafts.js';
import { ProblemText, weekdayName } from './menu-form.js';
import type { Problem } from './menu-form.js';
import { ItemForm } from './menu-item-form.js';
import { ta, taOr } from './messages.js';
import type { AdminKey } from './messages.js';

/** A VAT percent as Intl writes it (15 %, ١٥٪). */
function percent(value: number): string {
  return new Intl.NumberFormat(localeOf(lang.value), { style: 'percent', maximumFractionDigits: 2 }).format(value / 100);
}

/** A venue-local hh:mm as an instant of a fixed UTC day, to format through Intl. */
function instantOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return Date.UTC(2023, 0, 1, h ?? 0, m ?? 0);
}

/** Serving hours through Intl ("11:00–16:00", "١١:٠٠–١٦:٠٠") and their days. */
function windowText(window: AvailabilityWindow): { hours: string; days: string } {
  const format = new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const days = window.days === undefined || window.days.length === 7 ? ta('menu.everyDay') : window.days.map(weekdayName).join(lang.value === 'ar' ? '، ' : ', ');
  return { hours: format.formatRange(instantOf(window.from), instantOf(window.to)), days };
}

function chooseText(modifier: Modifier): string {
  return modifier.min === modifier.max ? ta('menu.chooseExactly', { count: modifier.min }) : ta('menu.chooseBetween', { min: modifier.min, max: modifier.max });
}

function ItemRow(props: { item: MenuItem; onSoldOut: (item: MenuItem, soldOut: boolean) => void; onEdit: (item: MenuItem) => void; busy: boolean }) {
  const { item } = props;
  const arabic = item.translations?.ar?.name;
  const name = localized(item).name;
  return (
    <tr class="menu-row" data-item={item.itemId} data-sold-out={item.soldOut ? 'true' : 'false'} data-price={item.price} data-active={item.active ? 'true' : 'false'}>
      <th scope="row">
        <span class="item-name" lang="en" dir="ltr">
          {item.name}
        </span>
        {arabic ? (
          <span class="item-name-ar" lang="ar" dir="rtl">
            {arabic}
          </span>
        ) : null}
        {item.description ? (
          <span class="muted small-text" dir="auto">
            {item.description}
          </span>
        ) : null}
      </th>
      <td class="price">
        <span class="amount">{money(item.price)}</span>
        <span class="muted small-text">{ta('menu.vatIncluded', { vat: money(vatOf(item.price, item.vatPercent)), percent: percent(item.vatPercent) })}</span>
      </td>
      <td dir="ltr" class="station">
        {item.station}
      </td>
      <td>{ta('menu.minutes', { minutes: item.prepMinutes })}</td>
      <td>
        <Tags values={item.allergens} prefix="allergen" />
      </td>
      <td>
        <Tags values={item.dietary} prefix="diet" />
      </td>
      <td>
        {item.modifiers.length === 0 ? (
          '—'
        ) : (
          <ul class="plain">
            {item.modifiers.map((m) => (
              <li key={m.modifierId} data-modifier={m.modifierId}>
                <bdi>{localized(m).name}</bdi> ({chooseText(m)}):{' '}
                {m.choices.map((c, i) => (
                  <span key={c.choiceId} data-choice={c.choiceId} data-price={c.price}>
                    {i > 0 ? (lang.value === 'ar' ? '، ' : ', ') : ''}
                    <bdi>{localized(c).name}</bdi>
                    {c.price > 0 ? <span class="nowrap"> +{money(c.price)}</span> : ''}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {item.windows.length === 0 ? (
          ta('menu.always')
        ) : (
          <ul class="plain">
            {item.windows.map((w, i) => {
              const { hours, days } = windowText(w);
              return (
                <li key={i}>
                  <span class="nowrap">{hours}</span> · {days}
                </li>
              );
            })}
          </ul>
        )}
      </td>
      <td class="status">
        <span class={`badge ${item.soldOut ? 'out' : 'in'}`}>{item.soldOut ? ta('menu.soldOut') : ta('menu.available')}</span>
        {item.active ? null : <span class="muted small-text">{ta('menu.hidden')}</span>}
        <span class="actions">
          {can('menu.sold_out') ? (
            <button
              type="button"
              class={`small ${item.soldOut ? 'quiet back' : 'danger eighty-six'}`}
              aria-label={`${ta(item.soldOut ? 'menu.markBack' : 'menu.markSoldOut')}: ${name}`}
              disabled={props.busy}
              onClick={() => props.onSoldOut(item, !item.soldOut)}
            >
              {ta(item.soldOut ? 'menu.markBack' : 'menu.markSoldOut')}
            </button>
          ) : null}
          {can('catalog.update') ? (
            <button type="button" class="small quiet edit" aria-label={`${ta('menu.edit')}: ${name}`} onClick={() => props.onEdit(item)}>
              {ta('menu.edit')}
            </button>
          ) : null}
        </span>
      </td>
    </tr>
  );
}

function Tags(props: { values: readonly string[]; prefix: 'allergen' | 'diet' }) {
  if (props.values.length === 0) return <>—</>;
  return (
    <ul class="tags">
      {props.values.map((value) => (
        <li key={value} class={`tag ${props.prefix}`} data-tag={value}>
          {taOr(props.prefix, value)}
        </li>
      ))}
    </ul>
  );
}

/** A category's buttons for super admins: edit (names, order, shown) and a place up or down. */
function CategoryActions(props: { category: MenuCategory; first: boolean; last: boolean; busy: boolean; onEdit: () => void; onMove: (by: -1 | 1) => void }) {
  const { category } = props;
  const name = localized(category).name;
  return (
    <div class="row category-actions">
      <button type="button" class="small quiet edit-category" aria-label={`${ta('menu.editCategory')}: ${name}`} onClick={props.onEdit}>
        {ta('menu.editCategory')}
      </button>
      <button type="button" class="small quiet move-up" id={`move-up-${category.categoryId}`} aria-label={`${ta('menu.moveUp')}: ${name}`} disabled={props.first || props.busy} onClick={() => props.onMove(-1)}>
        {ta('menu.moveUp')}
      </button>
      <button type="button" class="small quiet move-down" id={`move-down-${category.categoryId}`} aria-label={`${ta('menu.moveDown')}: ${name}`} disabled={props.last || props.busy} onClick={() => props.onMove(1)}>
        {ta('menu.moveDown')}
      </button>
    </div>
  );
}

// ── The page ──

/** The table's columns, each as wide in every category. */
const COLUMNS = ['item', 'price', 'station', 'prep', 'allergens', 'dietary', 'modifiers', 'windows', 'status'] as const;

export function MenuPage() {
  const [view, setView] = useState<MenuAdminView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<{ key: AdminKey; entity: MenuItem | MenuCategory } | null>(null);
  const [editing, setEditing] = useState<MenuItem | 'new' | null>(null);
  const [editingCategory, setEditingCategory] = useState<MenuCategory | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function load() {
    const answer = await signedInCall((token) => api.adminMenu(token));
    if (!answer.ok) return setProblem({ code: answer.code, message: answer.message });
    setView(answer.data);
  }

  useEffect(() => {
    void load();
    // Another screen's 86 shows here at once; after its edits (the whole menu pushed, which lacks
    // hidden entries) and after a reconnect the editor's list is read again.
    const watch = hub().followMenu(
      () => void load(),
      (change) => setView((current) => (current === null ? current : { ...current, items: current.items.map((i) => (i.itemId === change.itemId ? { ...i, soldOut: change.soldOut } : i)) })),
    );
    return () => watch.unsubscribe();
  }, []);

  async function soldOut(item: MenuItem, next: boolean) {
    setBusy(item.itemId);
    const answer = await signedInCall((token) => api.setSoldOut(item.itemId, { soldOut: next }, token));
    setBusy(null);
    if (!answer.ok) return setProblem({ code: answer.code, message: answer.message });
    setProblem(null);
    setView((current) => (current === null ? current : { ...current, items: current.items.map((i) => (i.itemId === item.itemId ? { ...i, soldOut: answer.data.soldOut } : i)) }));
    setNotice({ key: next ? 'menu.soldOutDone' : 'menu.backDone', entity: item });
  }

  function saved(item: MenuItem, created: boolean) {
    setEditing(null);
    setNotice({ key: created ? 'menu.created' : 'menu.saved', entity: item });
    void load();
  }

  function categorySaved(category: MenuCategory, created: boolean) {
    setEditingCategory(null);
    setNotice({ key: created ? 'menu.categoryCreated' : 'menu.saved', entity: category });
    void load();
  }

  /** One form at a time: opening one closes the other. */
  function open(item: MenuItem | 'new' | null, category: MenuCategory | 'new' | null) {
    setNotice(null);
    setEditing(item);
    setEditingCategory(category);
  }

  /** A category a place up or down: the categories whose place changes are saved one by one. */
  async function move(category: MenuCategory, by: -1 | 1) {
    setBusy(category.categoryId);
    for (const { categoryId, sort } of moveCategory(view?.categories ?? [], category.categoryId, by)) {
      const answer = await signedInCall((token) => api.updateCatalogItem('menu_category', categoryId, { sort }, token));
      if (answer.ok) continue;
      setBusy(null);
      setProblem({ code: answer.code, message: answer.message });
      return void load();
    }
    setBusy(null);
    setProblem(null);
    setNotice({ key: 'menu.categoryMoved', entity: category });
    await load();
    document.getElementById(`move-${by < 0 ? 'up' : 'down'}-${category.categoryId}`)?.focus();
  }

  const categories = inMenuOrder(view?.categories ?? []);
  const stations = [...new Set((view?.items ?? []).map((i) => i.station))].sort();
  return (
    <section id="menu-editor">
      <h1>{ta('nav.menu')}</h1>
      <p class="muted">{ta('menu.intro')}</p>
      {can('catalog.create') && editing === null && editingCategory === null && view !== null ? (
        <div class="row">
          <button type="button" id="new-item" onClick={() => open('new', null)}>
            {ta('menu.newItem')}
          </button>
          <button type="button" class="quiet" id="new-category" onClick={() => open(null, 'new')}>
            {ta('menu.newCategory')}
          </button>
        </div>
      ) : null}
      <p class="notice" role="status" id="menu-notice">
        {notice === null ? '' : ta(notice.key, { name: localized(notice.entity).name })}
      </p>
      {problem ? (
        <p class="error" role="alert" id="menu-problem" data-code={problem.code}>
          <ProblemText problem={problem} />
        </p>
      ) : null}
      {editing !== null && view !== null ? (
        <ItemForm key={editing === 'new' ? 'new' : editing.itemId} item={editing === 'new' ? null : editing} categories={categories} stations={stations} onSaved={saved} onCancel={() => setEditing(null)} />
      ) : null}
      {editingCategory !== null && view !== null ? (
        <CategoryForm
          key={editingCategory === 'new' ? 'new' : editingCategory.categoryId}
          category={editingCategory === 'new' ? null : editingCategory}
          categories={categories}
          onSaved={categorySaved}
          onCancel={() => setEditingCategory(null)}
        />
      ) : null}
      {view === null && problem === null ? <p>{ta('common.loading')}</p> : null}
      {categories.map((category, index) => {
        const items = (view?.items ?? []).filter((i) => i.categoryId === category.categoryId);
        const arabic = category.translations?.ar?.name;
        return (
          <section key={category.categoryId} class="menu-category" data-category={category.categoryId} aria-labelledby={`category-${category.categoryId}`}>
            <h2 id={`category-${category.categoryId}`}>
              <span lang="en" dir="ltr">
                {category.name}
              </span>
              {arabic ? (
                <>
                  {' · '}
                  <span lang="ar" dir="rtl">
                    {arabic}
                  </span>
                </>
              ) : null}
              {category.active ? null : <span class="muted small-text"> · {ta('menu.hidden')}</span>}
            </h2>
            {can('catalog.update') ? (
              <CategoryActions
                category={category}
                first={index === 0}
                last={index === categories.length - 1}
                busy={busy === category.categoryId}
                onEdit={() => open(null, category)}
                onMove={(by) => void move(category, by)}
              />
            ) : null}
            {items.length === 0 ? (
              <p class="muted">{ta('menu.noItems')}</p>
            ) : (
              <div class="scroll">
                <table class="history menu-table">
                  <colgroup>
                    {COLUMNS.map((column) => (
                      <col key={column} class={`col-${column}`} />
                    ))}
                  </colgroup>
                  <thead>
                    <tr>
                      <th scope="col">{ta('menu.item')}</th>
                      <th scope="col">{ta('menu.price')}</th>
                      <th scope="col">{ta('menu.station')}</th>
                      <th scope="col">{ta('menu.prep')}</th>
                      <th scope="col">{ta('menu.allergens')}</th>
                      <th scope="col">{ta('menu.dietary')}</th>
                      <th scope="col">{ta('menu.modifiers')}</th>
                      <th scope="col">{ta('menu.windows')}</th>
                      <th scope="col">{ta('menu.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((item) => (
                      <ItemRow key={item.itemId} item={item} busy={busy === item.itemId} onSoldOut={(i, next) => void soldOut(i, next)} onEdit={(i) => open(i, null)} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </section>
  );
}
