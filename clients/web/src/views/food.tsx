/**
 * The food part of the visitor app: the menu in the booking form and on the visit's order page
 * (86s arrive live; allergens and dietary tags named in the visitor's language; prices come from
 * the hub's quote or the placed order, never from here), the pickup choice, and an order's live
 * status (Paid → Preparing → Ready → Delivered), from the order actor itself.
 */
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { menuWeekdayOf, servedAtLocal } from '../../../../machines/contract/food.js';
import type { ActorState, MenuItemView, MenuView } from '../../../../machines/contract/wire.js';
import type { FoodLine } from '../../../../machines/food-order.schemas.js';
import { localized } from '../catalog.js';
import { money } from '../format.js';
import { lang, number, sep } from '../i18n.js';
import { allergenLabel, dietaryLabel, listOf } from './food-labels.js';
import { account, api, hub, publicHub } from '../session.js';

/** What the visitor chose: quantities by item, the pickup and its time. */
export interface FoodCart {
  qty: Record<string, number>;
  /** Chosen choice per required single-choice modifier: `item/modifier` → choice. */
  choices: Record<string, string>;
  /** `on_arrival` for a pre-order, `asap` during the visit, or `at` a time. */
  pickup: 'on_arrival' | 'asap' | 'at';
  time: string;
}

export const EMPTY_CART: FoodCart = { qty: {}, choices: {}, pickup: 'on_arrival', time: '13:00' };

type Words = {
  [K in 'food' | 'preOrder' | 'foodHint' | 'visitHint' | 'soldOut' | 'notNow' | 'pickup' | 'onArrival' | 'asap' | 'atTime' | 'time' | 'order' | 'collectAt' | 'allergens']: string;
} & { state: Record<'placed' | 'paid' | 'scheduled' | 'preparing' | 'ready' | 'delivered' | 'cancelled' | 'not_collected', string> };

const en: Words = {
  food: 'Food and drinks',
  preOrder: 'Food pre-order',
  foodHint: 'Pre-order with your tickets, paid in the same payment. Prices include VAT.',
  visitHint: 'Order now and pay for the food on its own. Prices include VAT.',
  soldOut: 'Sold out',
  notNow: 'Not served then',
  pickup: 'Pick it up',
  onArrival: 'When I arrive (sent to the kitchen as I come in)',
  asap: 'As soon as it is ready (the kitchen starts once you have paid)',
  atTime: 'At a time',
  time: 'Time',
  order: 'Your food',
  state: { placed: 'Waiting for payment', paid: 'Paid: sent to the kitchen when you arrive', scheduled: 'Paid: the kitchen starts it in time', preparing: 'Preparing', ready: 'Ready to collect', delivered: 'Collected', cancelled: 'Cancelled', not_collected: 'Not collected yet' },
  collectAt: 'Collect it at the',
  allergens: 'Contains',
};
const ar: Words = {
  food: 'الطعام والمشروبات',
  preOrder: 'طلب طعام مسبق',
  foodHint: 'اطلب مسبقاً مع تذاكرك، ويُدفع في الدفعة نفسها. الأسعار شاملة ضريبة القيمة المضافة.',
  visitHint: 'اطلب الآن وادفع ثمن الطعام وحده. الأسعار شاملة ضريبة القيمة المضافة.',
  soldOut: 'نفد',
  notNow: 'غير متاح في هذا الوقت',
  pickup: 'الاستلام',
  onArrival: 'عند وصولي (يُرسل إلى المطبخ عند دخولي)',
  asap: 'في أقرب وقت (يبدأ المطبخ بعد الدفع)',
  atTime: 'في وقت محدد',
  time: 'الوقت',
  order: 'طعامك',
  state: { placed: 'بانتظار الدفع', paid: 'مدفوع: يُرسل إلى المطبخ عند وصولك', scheduled: 'مدفوع: يبدأ المطبخ في الوقت المناسب', preparing: 'قيد التحضير', ready: 'جاهز للاستلام', delivered: 'تم الاستلام', cancelled: 'ملغى', not_collected: 'لم يُستلم بعد' },
  collectAt: 'استلمه من',
  allergens: 'يحتوي على',
};
const f = () => (lang.value === 'ar' ? ar : en);

/** The menu as last heard: the whole view, then every 86 and return applied. */
const menu = signal<MenuView | null>(null);

function markSoldOut(itemId: string, soldOut: boolean): void {
  const current = menu.value;
  if (!current) return;
  menu.value = { ...current, categories: current.categories.map((c) => ({ ...c, items: c.items.map((i) => (i.itemId === itemId ? { ...i, soldOut, orderable: soldOut ? false : i.orderable || !i.soldOut } : i)) })) };
}

/** Reads the menu once when no screen follows it yet, so orders name their dishes in the visitor's language. */
export function useMenuNames(): void {
  useEffect(() => {
    if (menu.value) return;
    void api.menu().then((answer) => {
      if (answer.ok && !menu.value) menu.value = answer.data;
    });
  }, []);
}

/**
 * An order line's dish in the language shown: the names it was ordered by (English, and Arabic
 * when the menu gave one); an order placed before lines kept their Arabic name asks the menu.
 */
export function lineName(line: Pick<FoodLine, 'itemId' | 'name' | 'nameAr'>): string {
  if (lang.value !== 'ar') return line.name;
  if (line.nameAr !== undefined) return line.nameAr;
  const item = menu.value?.categories.flatMap((c) => c.items).find((i) => i.itemId === line.itemId);
  return item ? localized(item).name : line.name;
}

/** A line's chosen option in the language shown ("Bread: Saj", «الخبز: صاج»). */
export function choiceName(choice: Pick<FoodLine['modifiers'][number], 'name' | 'nameAr'>): string {
  return lang.value === 'ar' ? (choice.nameAr ?? choice.name) : choice.name;
}

/** An order state as the visitor reads it. */
export function foodStateLabel(state: string): string {
  return f().state[state as keyof Words['state']] ?? state;
}

/** The name of the booking line a food pre-order rides on. */
export function preOrderLabel(): string {
  return f().preOrder;
}

/** The order request the hub prices (undefined when nothing is chosen). */
export function foodRequest(cart: FoodCart): unknown {
  const items = (menu.value?.categories ?? []).flatMap((c) => c.items);
  const lines = Object.entries(cart.qty)
    .filter(([, qty]) => qty > 0)
    .map(([itemId, qty]) => {
      const item = items.find((i) => i.itemId === itemId);
      const modifiers = (item?.modifiers ?? [])
        .filter((m) => m.min > 0)
        .map((m) => ({ modifierId: m.modifierId, choiceId: cart.choices[`${itemId}/${m.modifierId}`] ?? m.choices[0]?.choiceId ?? '' }));
      return { itemId, qty, modifiers };
    });
  if (lines.length === 0) return undefined;
  return { lines, pickup: cart.pickup === 'at' ? { mode: 'at', time: cart.time } : { mode: cart.pickup } };
}

/** The venue-local day and time a pre-order is for (the visit's start, or the pickup time chosen). */
export interface PreOrderMoment {
  date: string;
  /** `hh:mm`. */
  time: string;
}

/**
 * Whether the item can be chosen: not sold out, and served at the moment the order is for: the
 * pre-order's moment (none yet: any time), or now during the visit.
 */
function servedFor(item: MenuItemView, moment: PreOrderMoment | null | undefined): boolean {
  if (moment === undefined) return item.orderable;
  return moment === null || servedAtLocal(item.windows, menuWeekdayOf(moment.date), moment.time);
}

function MenuItemRow(props: { item: MenuItemView; cart: FoodCart; onChange: (cart: FoodCart) => void; moment: PreOrderMoment | null | undefined }) {
  const { item, cart } = props;
  const qty = cart.qty[item.itemId] ?? 0;
  const notServed = !item.soldOut && !servedFor(item, props.moment);
  const unavailable = item.soldOut || notServed;
  const set = (next: number) => props.onChange({ ...cart, qty: { ...cart.qty, [item.itemId]: Math.max(0, Math.min(20, next)) } });
  const { name } = localized(item);
  return (
    <div class={`line menu-item${item.soldOut ? ' sold-out' : ''}`} data-item={item.itemId} data-sold-out={item.soldOut ? 'true' : 'false'}>
      <div>
        <label for={`food-${item.itemId}`}>{name}</label>
        <div class="hint">
          {money(item.price)}
          {item.soldOut ? (
            <strong class="badge">
              {sep()}
              {f().soldOut}
            </strong>
          ) : null}
          {notServed ? (
            <strong class="badge not-now">
              {sep()}
              {f().notNow}
            </strong>
          ) : null}
          {item.dietary.length > 0 ? (
            <span class="dietary">
              {sep()}
              {item.dietary.map(dietaryLabel).join(sep())}
            </span>
          ) : null}
          {item.allergens.length > 0 ? (
            <span class="allergens">
              {sep()}
              {f().allergens}: {listOf(item.allergens.map(allergenLabel))}
            </span>
          ) : null}
        </div>
        {qty > 0
          ? item.modifiers
              .filter((m) => m.min > 0 && m.max === 1)
              .map((m) => (
                <label key={m.modifierId} class="hint">
                  {localized(m).name}{' '}
                  <select
                    value={cart.choices[`${item.itemId}/${m.modifierId}`] ?? m.choices[0]?.choiceId}
                    onChange={(e) => props.onChange({ ...cart, choices: { ...cart.choices, [`${item.itemId}/${m.modifierId}`]: e.currentTarget.value } })}
                  >
                    {m.choices.map((c) => (
                      <option key={c.choiceId} value={c.choiceId}>
                        {localized(c).name}
                        {c.price > 0 ? ` (+${money(c.price)})` : ''}
                      </option>
                    ))}
                  </select>
                </label>
              ))
          : null}
      </div>
      <div class="stepper">
        <button type="button" class="quiet" aria-label={`− ${name}`} disabled={qty === 0} onClick={() => set(qty - 1)}>
          −
        </button>
        <output id={`food-${item.itemId}`} aria-live="polite">
          {number(qty)}
        </output>
        <button type="button" class="quiet" aria-label={`+ ${name}`} disabled={unavailable && qty === 0} onClick={() => set(qty + 1)}>
          +
        </button>
      </div>
    </div>
  );
}

/**
 * The menu (in the booking form, or during the visit): categories with their items, the pickup
 * choice. A pre-order's items are offered for the day and time of `preOrderFor` (null until a
 * time is chosen); during the visit, for now.
 */
export function FoodPicker(props: { cart: FoodCart; onChange: (cart: FoodCart) => void; duringVisit?: boolean; preOrderFor?: { date: string; startTime: string } | null }) {
  const signedIn = account.value !== null;
  useEffect(() => {
    // Signed out, the menu is followed on a guest session (86s arrive live there too).
    const watch = (signedIn ? hub() : publicHub()).followMenu(
      (view) => (menu.value = view),
      (change) => markSoldOut(change.itemId, change.soldOut),
    );
    void watch.ready.then((answer) => {
      // No socket (no guest session to be had): the menu as it is now, at least.
      if (!answer.ok && !menu.value) void api.menu().then((read) => read.ok && !menu.value && (menu.value = read.data));
    });
    return () => watch.unsubscribe();
  }, [signedIn]);
  const view = menu.value;
  if (!view || view.categories.length === 0) return null;
  const { cart } = props;
  const visit = props.preOrderFor ?? null;
  const moment: PreOrderMoment | null | undefined = props.duringVisit ? undefined : visit === null ? null : { date: visit.date, time: cart.pickup === 'at' ? cart.time : visit.startTime };
  return (
    <fieldset class="food">
      <legend>{f().food}</legend>
      <p class="hint">{props.duringVisit ? f().visitHint : f().foodHint}</p>
      {view.categories.map((category) => (
        <div key={category.categoryId} class="menu-category">
          <p class="menu-category-name">
            <strong>{localized(category).name}</strong>
          </p>
          {category.items.map((item) => (
            <MenuItemRow key={item.itemId} item={item} cart={cart} onChange={props.onChange} moment={moment} />
          ))}
        </div>
      ))}
      <fieldset class="pickup">
        <legend>{f().pickup}</legend>
        {props.duringVisit ? (
          <label>
            <input type="radio" name="pickup" value="asap" checked={cart.pickup === 'asap'} onChange={() => props.onChange({ ...cart, pickup: 'asap' })} /> {f().asap}
          </label>
        ) : (
          <label>
            <input type="radio" name="pickup" value="on_arrival" checked={cart.pickup === 'on_arrival'} onChange={() => props.onChange({ ...cart, pickup: 'on_arrival' })} /> {f().onArrival}
          </label>
        )}
        <label>
          <input type="radio" name="pickup" value="at" checked={cart.pickup === 'at'} onChange={() => props.onChange({ ...cart, pickup: 'at' })} /> {f().atTime}
        </label>
        {cart.pickup === 'at' ? (
          <label>
            {f().time} <input type="time" value={cart.time} onChange={(e) => props.onChange({ ...cart, time: e.currentTarget.value })} />
          </label>
        ) : null}
      </fieldset>
    </fieldset>
  );
}

/** The food lines of a quote, for the summary table. */
export function FoodSummaryRows(props: { lines: ReadonlyArray<Pick<FoodLine, 'lineId' | 'itemId' | 'name' | 'nameAr' | 'qty' | 'unitPrice'>> }) {
  return (
    <>
      {props.lines.map((line) => (
        <tr key={line.lineId} class="food-line">
          <td>
            {lineName(line)} × {number(line.qty)}
          </td>
          <td class="amount">{money(line.unitPrice * line.qty)}</td>
        </tr>
      ))}
    </>
  );
}

const STEPS = ['preparing', 'ready', 'delivered'] as const;

/** A food order as the visitor follows it, live (null until the hub answers). */
export function useFoodOrder(orderId: string): ActorState | null {
  const [order, setOrder] = useState<ActorState | null>(null);
  useEffect(() => {
    const subscription = hub().subscribeActor({ kind: 'food_order', id: orderId }, (state) => setOrder(state));
    return () => void subscription.unsubscribe();
  }, [orderId]);
  return order;
}

/** An order's state, its steps, its lines (unless shown beside it) and where to collect it. */
export function FoodOrderView(props: { order: ActorState; hideLines?: boolean }) {
  const { order } = props;
  useMenuNames();
  const context = order.context as { lines: FoodLine[]; pickupPoint: string; pickupPointAr?: string };
  const state = order.state as keyof Words['state'];
  const reached = STEPS.indexOf(state as (typeof STEPS)[number]);
  return (
    <section class="panel food-order" aria-labelledby="food-title" aria-live="polite" data-order={order.id}>
      <h2 id="food-title">{f().order}</h2>
      <p class="status">
        <span class="state" id="food-state" data-state={order.state}>
          {f().state[state] ?? order.state}
        </span>
      </p>
      {order.state === 'cancelled' ? null : (
        <ol class="steps">
          {STEPS.map((step, i) => (
            <li key={step} class={reached >= i ? 'done' : ''} aria-current={reached === i ? 'step' : undefined}>
              {f().state[step]}
            </li>
          ))}
        </ol>
      )}
      {props.hideLines ? null : (
        <ul>
          {context.lines.map((line) => (
            <li key={line.lineId}>
              {lineName(line)} × {number(line.qty)}
            </li>
          ))}
        </ul>
      )}
      {order.state === 'cancelled' ? null : (
        <p class="hint">
          {f().collectAt} {(lang.value === 'ar' ? context.pickupPointAr : undefined) ?? context.pickupPoint}
        </p>
      )}
    </section>
  );
}

/** A booking's pre-order (`<bookingId>-food`), live. */
export function FoodOrderStatus(props: { bookingId: string }) {
  const order = useFoodOrder(`${props.bookingId}-food`);
  return order ? <FoodOrderView order={order} /> : null;
}
