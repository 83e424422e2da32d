/**
 * The menu editor (super admins and kitchen staff, policy row `menu.admin`): every category and
 * item, hidden ones too, with the price (VAT inside it, in SAR), station, prep time, allergens,
 * dietary tags, modifiers and their prices and the serving hours. Super admins create and change
 * items (the catalog's routes, `catalog.create` / `catalog.update`); whoever may (`menu.sold_out`)
 * marks an item sold out and back, which every open menu hears at once (`menu:changed`); every
 * other saved change reaches open menus as the whole menu (`menu:updated`). The editor follows the
 * menu too, so an 86 or an edit from another screen shows here without a reload.
 *
 * A refusal shows the hub's message and code as they came: the hub is the one that checks.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Allergen, AvailabilityWindow, DietaryTag, MenuAdminView, MenuCategory, MenuItem, MenuWeekday, Modifier } from '../../../../machines/contract/wire.js';
import { ALLERGENS, DEFAULT_VAT_PERCENT, DIETARY_TAGS, MENU_WEEKDAYS, vatOf } from '../../../../machines/contract/wire.js';
import type { HubResult } from '../../../sdk/index.js';
import { localized } from '../catalog.js';
import { money } from '../format.js';
import { lang, localeOf } from '../i18n.js';
import { westernDigits } from '../phone.js';
import { api, hub, signedInCall } from '../session.js';
import { can } from './access.js';
import { ta, taOr } from './messages.js';
import type { AdminKey } from './messages.js';

/** A refusal as the hub gave it. */
interface Problem {
  code: string;
  message: string;
}

/** Weekday names through Intl (1 Jan 2023 was a Sunday). */
function weekdayName(day: MenuWeekday): string {
  const at = Date.UTC(2023, 0, 1 + MENU_WEEKDAYS.indexOf(day), 12);
  return new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', weekday: 'short' }).format(at);
}

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
                <bdi>{m.name}</bdi> ({chooseText(m)}):{' '}
                {m.choices.map((c, i) => (
                  <span key={c.choiceId} data-choice={c.choiceId} data-price={c.price}>
                    {i > 0 ? (lang.value === 'ar' ? '، ' : ', ') : ''}
                    <bdi>{c.name}</bdi>
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

// ── The item form ──

interface ChoiceDraft {
  choiceId: string;
  name: string;
  price: string;
}
interface ModifierDraft {
  modifierId: string;
  name: string;
  min: string;
  max: string;
  choices: ChoiceDraft[];
}
interface WindowDraft {
  days: MenuWeekday[];
  from: string;
  to: string;
}
interface ItemDraft {
  itemId: string;
  categoryId: string;
  name: string;
  nameAr: string;
  description: string;
  price: string;
  vatPercent: string;
  station: string;
  prepMinutes: string;
  allergens: Allergen[];
  dietary: DietaryTag[];
  modifiers: ModifierDraft[];
  windows: WindowDraft[];
  active: boolean;
}

const sar = (halalas: number) => (halalas / 100).toFixed(2);

function draftOf(item: MenuItem | null, categories: readonly MenuCategory[]): ItemDraft {
  if (item === null) {
    return { itemId: '', categoryId: categories[0]?.categoryId ?? '', name: '', nameAr: '', description: '', price: '', vatPercent: String(DEFAULT_VAT_PERCENT), station: '', prepMinutes: '10', allergens: [], dietary: [], modifiers: [], windows: [], active: true };
  }
  return {
    itemId: item.itemId,
    categoryId: item.categoryId,
    name: item.name,
    nameAr: item.translations?.ar?.name ?? '',
    description: item.description,
    price: sar(item.price),
    vatPercent: String(item.vatPercent),
    station: item.station,
    prepMinutes: String(item.prepMinutes),
    allergens: [...item.allergens],
    dietary: [...item.dietary],
    modifiers: item.modifiers.map((m) => ({ modifierId: m.modifierId, name: m.name, min: String(m.min), max: String(m.max), choices: m.choices.map((c) => ({ choiceId: c.choiceId, name: c.name, price: sar(c.price) })) })),
    windows: item.windows.map((w) => ({ days: [...(w.days ?? [])], from: w.from, to: w.to })),
    active: item.active,
  };
}

/** SAR as typed ("35", "35.5", "٣٥٫٠٠") in halalas; NaN when it is not an amount. */
export function halalasOf(typed: string): number {
  const text = westernDigits(typed).trim().replace('٫', '.').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 100);
}

/** An id for a new modifier or choice from its name, unique among `taken`. */
function idFrom(name: string, fallback: string, taken: ReadonlySet<string>): string {
  const base = westernDigits(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The entity the hub checks, from the form (ids of new modifiers and choices made from their names). */
function entityOf(draft: ItemDraft, previous: MenuItem | null): { ok: true; entity: Record<string, unknown> } | { ok: false } {
  const price = halalasOf(draft.price);
  if (Number.isNaN(price)) return { ok: false };
  const modifierIds = new Set(draft.modifiers.map((m) => m.modifierId).filter((id) => id !== ''));
  const modifiers = [];
  for (const [i, m] of draft.modifiers.entries()) {
    const modifierId = m.modifierId || idFrom(m.name, `modifier-${i + 1}`, modifierIds);
    modifierIds.add(modifierId);
    const choiceIds = new Set(m.choices.map((c) => c.choiceId).filter((id) => id !== ''));
    const choices = [];
    for (const [j, c] of m.choices.entries()) {
      const choiceId = c.choiceId || idFrom(c.name, `choice-${j + 1}`, choiceIds);
      choiceIds.add(choiceId);
      const choicePrice = c.price.trim() === '' ? 0 : halalasOf(c.price);
      if (Number.isNaN(choicePrice)) return { ok: false };
      choices.push({ choiceId, name: c.name, price: choicePrice });
    }
    modifiers.push({ modifierId, name: m.name, min: Number(m.min), max: Number(m.max), choices });
  }
  const windows = draft.windows.map((w) => ({ ...(w.days.length === 0 || w.days.length === 7 ? {} : { days: MENU_WEEKDAYS.filter((d) => w.days.includes(d)) }), from: w.from, to: w.to }));
  const nameAr = draft.nameAr.trim();
  const arDescription = previous?.translations?.ar?.description;
  return {
    ok: true,
    entity: {
      itemId: draft.itemId.trim(),
      categoryId: draft.categoryId,
      name: draft.name,
      description: draft.description,
      price,
      vatPercent: Number(westernDigits(draft.vatPercent)),
      station: draft.station.trim(),
      prepMinutes: Number(westernDigits(draft.prepMinutes)),
      allergens: ALLERGENS.filter((a) => draft.allergens.includes(a)),
      dietary: DIETARY_TAGS.filter((d) => draft.dietary.includes(d)),
      modifiers,
      windows,
      active: draft.active,
      ...(nameAr === '' ? {} : { translations: { ar: { name: nameAr, ...(arDescription === undefined ? {} : { description: arDescription }) } } }),
    },
  };
}

function Field(props: { id: string; label: AdminKey; value: string; onInput: (value: string) => void; dir?: 'ltr' | 'rtl' | 'auto'; lang?: string; inputMode?: 'decimal' | 'numeric'; disabled?: boolean; type?: 'text' | 'number' | 'time'; list?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{ta(props.label)}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        dir={props.dir ?? 'auto'}
        lang={props.lang}
        inputMode={props.inputMode}
        disabled={props.disabled}
        list={props.list}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

function Checks<T extends string>(props: { legend: AdminKey; name: string; options: readonly T[]; chosen: readonly T[]; label: (value: T) => string; onChange: (chosen: T[]) => void }) {
  return (
    <fieldset class="checks" id={`item-${props.name}`}>
      <legend>{ta(props.legend)}</legend>
      {props.options.map((option) => (
        <label key={option} class="check">
          <input
            type="checkbox"
            name={props.name}
            value={option}
            checked={props.chosen.includes(option)}
            onChange={(e) => props.onChange(e.currentTarget.checked ? [...props.chosen, option] : props.chosen.filter((o) => o !== option))}
          />{' '}
          {props.label(option)}
        </label>
      ))}
    </fieldset>
  );
}

function ItemForm(props: { item: MenuItem | null; categories: readonly MenuCategory[]; stations: readonly string[]; onSaved: (item: MenuItem, created: boolean) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<ItemDraft>(() => draftOf(props.item, props.categories));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  const editing = props.item !== null;
  const set = (change: Partial<ItemDraft>) => setDraft({ ...draft, ...change });
  const setModifier = (i: number, change: Partial<ModifierDraft>) => set({ modifiers: draft.modifiers.map((m, k) => (k === i ? { ...m, ...change } : m)) });
  const setChoice = (i: number, j: number, change: Partial<ChoiceDraft>) => setModifier(i, { choices: (draft.modifiers[i]?.choices ?? []).map((c, k) => (k === j ? { ...c, ...change } : c)) });
  const setWindow = (i: number, change: Partial<WindowDraft>) => set({ windows: draft.windows.map((w, k) => (k === i ? { ...w, ...change } : w)) });
  useEffect(() => document.getElementById('item-form')?.scrollIntoView({ block: 'start' }), []);

  async function submit(event: Event) {
    event.preventDefault();
    const built = entityOf(draft, props.item);
    if (!built.ok) return setProblem({ code: '', message: ta('menu.priceInvalid') });
    setSaving(true);
    let answer: HubResult<MenuItem>;
    if (props.item === null) {
      answer = (await signedInCall((token) => api.createCatalogItem('menu_item', built.entity as Parameters<typeof api.createCatalogItem<'menu_item'>>[1], token))) as HubResult<MenuItem>;
    } else {
      // Everything but the id and the sold-out switch, so an 86 made meanwhile stays as it is.
      const { itemId: _id, ...patch } = built.entity;
      answer = (await signedInCall((token) => api.updateCatalogItem('menu_item', props.item?.itemId ?? '', patch, token))) as HubResult<MenuItem>;
    }
    setSaving(false);
    if (!answer.ok) return setProblem({ code: answer.code, message: answer.message });
    setProblem(null);
    props.onSaved(answer.data, !editing);
  }

  const title = editing ? ta('menu.editTitle', { name: localized(props.item ?? { name: '' }).name }) : ta('menu.newTitle');
  return (
    <form class="panel item-form" id="item-form" aria-labelledby="item-form-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="item-form-title">{title}</h2>
      <div class="grid">
        <Field id="item-id" label="menu.id" dir="ltr" value={draft.itemId} disabled={editing} onInput={(itemId) => set({ itemId })} />
        <div class="field">
          <label for="item-category">{ta('menu.category')}</label>
          <select id="item-category" value={draft.categoryId} onChange={(e) => set({ categoryId: e.currentTarget.value })}>
            {props.categories.map((c) => (
              <option key={c.categoryId} value={c.categoryId}>
                {localized(c).name}
              </option>
            ))}
          </select>
        </div>
        <Field id="item-name" label="menu.nameEn" dir="auto" lang="en" value={draft.name} onInput={(name) => set({ name })} />
        <Field id="item-name-ar" label="menu.nameAr" dir="rtl" lang="ar" value={draft.nameAr} onInput={(nameAr) => set({ nameAr })} />
        <Field id="item-price" label="menu.priceSar" dir="ltr" inputMode="decimal" value={draft.price} onInput={(price) => set({ price })} />
        <Field id="item-vat" label="menu.vatPercent" dir="ltr" inputMode="numeric" value={draft.vatPercent} onInput={(vatPercent) => set({ vatPercent })} />
        <Field id="item-station" label="menu.station" dir="ltr" list="stations" value={draft.station} onInput={(station) => set({ station })} />
        <Field id="item-prep" label="menu.prepMinutes" dir="ltr" inputMode="numeric" value={draft.prepMinutes} onInput={(prepMinutes) => set({ prepMinutes })} />
      </div>
      <datalist id="stations">
        {props.stations.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div class="field">
        <label for="item-description">{ta('menu.description')}</label>
        <textarea id="item-description" rows={2} dir="auto" value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />
      </div>
      <Checks legend="menu.allergens" name="allergens" options={ALLERGENS} chosen={draft.allergens} label={(a) => taOr('allergen', a)} onChange={(allergens) => set({ allergens })} />
      <Checks legend="menu.dietary" name="dietary" options={DIETARY_TAGS} chosen={draft.dietary} label={(d) => taOr('diet', d)} onChange={(dietary) => set({ dietary })} />

      <fieldset id="item-modifiers">
        <legend>{ta('menu.modifiers')}</legend>
        {draft.modifiers.map((m, i) => (
          <div class="modifier" key={i} data-index={i}>
            <div class="grid">
              <Field id={`modifier-${i}-name`} label="menu.modifierName" value={m.name} onInput={(name) => setModifier(i, { name })} />
              <Field id={`modifier-${i}-min`} label="menu.min" type="number" dir="ltr" value={m.min} onInput={(min) => setModifier(i, { min })} />
              <Field id={`modifier-${i}-max`} label="menu.max" type="number" dir="ltr" value={m.max} onInput={(max) => setModifier(i, { max })} />
            </div>
            {m.choices.map((c, j) => (
              <div class="choice-row" key={j}>
                <Field id={`modifier-${i}-choice-${j}-name`} label="menu.choiceName" value={c.name} onInput={(name) => setChoice(i, j, { name })} />
                <Field id={`modifier-${i}-choice-${j}-price`} label="menu.choicePrice" dir="ltr" inputMode="decimal" value={c.price} onInput={(price) => setChoice(i, j, { price })} />
                <button type="button" class="small quiet" onClick={() => setModifier(i, { choices: m.choices.filter((_, k) => k !== j) })}>
                  {ta('menu.removeChoice')}
                </button>
              </div>
            ))}
            <div class="row">
              <button type="button" class="small quiet add-choice" onClick={() => setModifier(i, { choices: [...m.choices, { choiceId: '', name: '', price: '0.00' }] })}>
                {ta('menu.addChoice')}
              </button>
              <button type="button" class="small quiet" onClick={() => set({ modifiers: draft.modifiers.filter((_, k) => k !== i) })}>
                {ta('menu.removeModifier')}
              </button>
            </div>
          </div>
        ))}
        <button type="button" class="small quiet" id="add-modifier" onClick={() => set({ modifiers: [...draft.modifiers, { modifierId: '', name: '', min: '0', max: '1', choices: [{ choiceId: '', name: '', price: '0.00' }] }] })}>
          {ta('menu.addModifier')}
        </button>
      </fieldset>

      <fieldset id="item-windows">
        <legend>{ta('menu.windows')}</legend>
        {draft.windows.length === 0 ? <p class="muted">{ta('menu.always')}</p> : null}
        {draft.windows.map((w, i) => (
          <div class="window" key={i} data-index={i}>
            <div class="grid">
              <Field id={`window-${i}-from`} label="menu.from" type="time" dir="ltr" value={w.from} onInput={(from) => setWindow(i, { from })} />
              <Field id={`window-${i}-to`} label="menu.to" type="time" dir="ltr" value={w.to} onInput={(to) => setWindow(i, { to })} />
            </div>
            <Checks legend="menu.days" name={`window-${i}-days`} options={MENU_WEEKDAYS} chosen={w.days} label={weekdayName} onChange={(days) => setWindow(i, { days })} />
            <button type="button" class="small quiet" onClick={() => set({ windows: draft.windows.filter((_, k) => k !== i) })}>
              {ta('menu.removeWindow')}
            </button>
          </div>
        ))}
        <button type="button" class="small quiet" id="add-window" onClick={() => set({ windows: [...draft.windows, { days: [], from: '11:00', to: '16:00' }] })}>
          {ta('menu.addWindow')}
        </button>
      </fieldset>

      <label class="check">
        <input type="checkbox" id="item-active" checked={draft.active} onChange={(e) => set({ active: e.currentTarget.checked })} /> {ta('menu.active')}
      </label>
      {problem ? (
        <p class="error" role="alert" id="item-problem" data-code={problem.code}>
          {problem.code === '' ? (
            problem.message
          ) : (
            <>
              {ta('menu.refused')} <bdi>{problem.message}</bdi> <bdi>({problem.code})</bdi>
            </>
          )}
        </p>
      ) : null}
      <div class="row">
        <button type="submit" id="item-save" disabled={saving}>
          {editing ? ta('menu.save') : ta('menu.create')}
        </button>
        <button type="button" class="quiet" onClick={props.onCancel}>
          {ta('menu.cancel')}
        </button>
      </div>
    </form>
  );
}

// ── The page ──

/** The table's columns, each as wide in every category. */
const COLUMNS = ['item', 'price', 'station', 'prep', 'allergens', 'dietary', 'modifiers', 'windows', 'status'] as const;

export function MenuPage() {
  const [view, setView] = useState<MenuAdminView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<{ key: AdminKey; item: MenuItem } | null>(null);
  const [editing, setEditing] = useState<MenuItem | 'new' | null>(null);
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
    setNotice({ key: next ? 'menu.soldOutDone' : 'menu.backDone', item });
  }

  function saved(item: MenuItem, created: boolean) {
    setEditing(null);
    setNotice({ key: created ? 'menu.created' : 'menu.saved', item });
    void load();
  }

  const categories = [...(view?.categories ?? [])].sort((a, b) => a.sort - b.sort || a.categoryId.localeCompare(b.categoryId));
  const stations = [...new Set((view?.items ?? []).map((i) => i.station))].sort();
  return (
    <section id="menu-editor">
      <h1>{ta('nav.menu')}</h1>
      <p class="muted">{ta('menu.intro')}</p>
      {can('catalog.create') && editing === null && view !== null ? (
        <button type="button" id="new-item" onClick={() => (setNotice(null), setEditing('new'))}>
          {ta('menu.newItem')}
        </button>
      ) : null}
      <p class="notice" role="status" id="menu-notice">
        {notice === null ? '' : ta(notice.key, { name: localized(notice.item).name })}
      </p>
      {problem ? (
        <p class="error" role="alert" id="menu-problem" data-code={problem.code}>
          {ta('menu.refused')} <bdi>{problem.message}</bdi> <bdi>({problem.code})</bdi>
        </p>
      ) : null}
      {editing !== null && view !== null ? (
        <ItemForm key={editing === 'new' ? 'new' : editing.itemId} item={editing === 'new' ? null : editing} categories={categories} stations={stations} onSaved={saved} onCancel={() => setEditing(null)} />
      ) : null}
      {view === null && problem === null ? <p>{ta('common.loading')}</p> : null}
      {categories.map((category) => {
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
                      <ItemRow key={item.itemId} item={item} busy={busy === item.itemId} onSoldOut={(i, next) => void soldOut(i, next)} onEdit={(i) => (setNotice(null), setEditing(i))} />
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
