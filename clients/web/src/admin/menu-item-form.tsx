/**
 * The menu item form: create an item or change one (everything but its id and the sold-out
 * switch). The hub checks what is sent; its refusal shows with its code.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MenuCategory, MenuItem } from '../../../../machines/contract/wire.js';
import { ALLERGENS, DIETARY_TAGS, MENU_WEEKDAYS } from '../../../../machines/contract/wire.js';
import type { HubResult } from '../../../sdk/index.js';
import { localized } from '../catalog.js';
import { api, signedInCall } from '../session.js';
import { draftOf, entityOf } from './menu-drafts.js';
import type { ChoiceDraft, ItemDraft, ModifierDraft, WindowDraft } from './menu-drafts.js';
import { Checks, Field, ProblemText, weekdayName } from './menu-form.js';
import type { Problem } from './menu-form.js';
import { ta, taOr } from './messages.js';

/** The form of one item, or of a new one (`item` null). */
export function ItemForm(props: { item: MenuItem | null; categories: readonly MenuCategory[]; stations: readonly string[]; onSaved: (item: MenuItem, created: boolean) => void; onCancel: () => void }) {
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
              <Field id={`modifier-${i}-name`} label="menu.modifierName" lang="en" value={m.name} onInput={(name) => setModifier(i, { name })} />
              <Field id={`modifier-${i}-name-ar`} label="menu.modifierNameAr" dir="rtl" lang="ar" value={m.nameAr} onInput={(nameAr) => setModifier(i, { nameAr })} />
              <Field id={`modifier-${i}-min`} label="menu.min" type="number" dir="ltr" value={m.min} onInput={(min) => setModifier(i, { min })} />
              <Field id={`modifier-${i}-max`} label="menu.max" type="number" dir="ltr" value={m.max} onInput={(max) => setModifier(i, { max })} />
            </div>
            {m.choices.map((c, j) => (
              <div class="choice-row" key={j}>
                <Field id={`modifier-${i}-choice-${j}-name`} label="menu.choiceName" lang="en" value={c.name} onInput={(name) => setChoice(i, j, { name })} />
                <Field id={`modifier-${i}-choice-${j}-name-ar`} label="menu.choiceNameAr" dir="rtl" lang="ar" value={c.nameAr} onInput={(nameAr) => setChoice(i, j, { nameAr })} />
                <Field id={`modifier-${i}-choice-${j}-price`} label="menu.choicePrice" dir="ltr" inputMode="decimal" value={c.price} onInput={(price) => setChoice(i, j, { price })} />
                <button type="button" class="small quiet" onClick={() => setModifier(i, { choices: m.choices.filter((_, k) => k !== j) })}>
                  {ta('menu.removeChoice')}
                </button>
              </div>
            ))}
            <div class="row">
              <button type="button" class="small quiet add-choice" onClick={() => setModifier(i, { choices: [...m.choices, { choiceId: '', name: '', nameAr: '', price: '0.00' }] })}>
                {ta('menu.addChoice')}
              </button>
              <button type="button" class="small quiet" onClick={() => set({ modifiers: draft.modifiers.filter((_, k) => k !== i) })}>
                {ta('menu.removeModifier')}
              </button>
            </div>
          </div>
        ))}
        <button type="button" class="small quiet" id="add-modifier" onClick={() => set({ modifiers: [...draft.modifiers, { modifierId: '', name: '', nameAr: '', min: '0', max: '1', choices: [{ choiceId: '', name: '', nameAr: '', price: '0.00' }] }] })}>
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
          <ProblemText problem={problem} />
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
