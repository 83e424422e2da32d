/**
 * Ordering food during the visit, on the visitor's phone: the menu for the booking of today
 * (`/bookings/:id/food`), then the placed order (`/food-orders/:id`) with the lines and total the
 * hub priced, paid on its own on the provider's page, and its status live until it is ready and
 * collected. The orders placed on this device are kept per booking, so the booking page lists them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { FoodLine } from '../../../../machines/food-order.schemas.js';
import type { VisitOrderRequest } from '../../../sdk/index.js';
import { Link } from '../app.js';
import { money, venueTimeZone } from '../format.js';
import { lang, number, sep, t } from '../i18n.js';
import { keep, kept } from '../kept.js';
import { refusalText } from '../refusals.js';
import { navigate } from '../router.js';
import { account, api, hasSession, hub, online, signedInCall } from '../session.js';
import type { FoodCart } from './food.js';
import { EMPTY_CART, FoodOrderView, FoodPicker, foodRequest, foodStateLabel, lineName, modifierName, useFoodOrder, useMenuNames } from './food.js';
import { SignInPanel } from './sign-in.js';

const WORDS = {
  en: {
    title: 'Order food',
    place: 'Place order',
    placing: 'Placing your order…',
    orderTitle: 'Your food order',
    summary: 'Your order',
    total: 'Total',
    vat: 'Prices include VAT.',
    pay: 'Pay {amount} with',
    payCard: 'Card',
    payMada: 'mada',
    payApple: 'Apple Pay',
    declined: 'The payment did not go through. Try again, or pay another way.',
    cancel: 'Cancel this order',
    cancelled: 'Cancelled. What you paid goes back to you.',
    refunded: 'Refunded',
    back: 'Back to your booking',
    more: 'Order something else',
    orders: 'Your food orders',
    notFound: 'This food order is not yours, or does not exist.',
    empty: 'Choose something from the menu first.',
  },
  ar: {
    title: 'اطلب طعاماً',
    place: 'أرسل الطلب',
    placing: 'جارٍ إرسال طلبك…',
    orderTitle: 'طلب الطعام',
    summary: 'طلبك',
    total: 'الإجمالي',
    vat: 'الأسعار شاملة ضريبة القيمة المضافة.',
    pay: 'ادفع {amount} عبر',
    payCard: 'بطاقة',
    payMada: 'مدى',
    payApple: 'Apple Pay',
    declined: 'لم تتم عملية الدفع. حاول مرة أخرى أو ادفع بطريقة أخرى.',
    cancel: 'ألغِ هذا الطلب',
    cancelled: 'أُلغي الطلب. يُعاد إليك ما دفعته.',
    refunded: 'المبلغ المسترد',
    back: 'العودة إلى حجزك',
    more: 'اطلب شيئاً آخر',
    orders: 'طلبات الطعام',
    notFound: 'طلب الطعام هذا ليس لك أو غير موجود.',
    empty: 'اختر شيئاً من القائمة أولاً.',
  },
};
const w = () => WORDS[lang.value];
const METHODS = [
  { method: 'card', label: 'payCard' },
  { method: 'mada', label: 'payMada' },
  { method: 'applepay', label: 'payApple' },
] as const;


/** The orders placed on this device during the visit of a booking. */
export function visitOrdersOf(bookingId: string): string[] {
  return kept<string[]>(`visitOrders.${bookingId}`) ?? [];
}

function rememberOrder(bookingId: string, orderId: string): void {
  const known = visitOrdersOf(bookingId);
  if (!known.includes(orderId)) keep(`visitOrders.${bookingId}`, [...known, orderId]);
}

/** The venue-local time `minutes` from now, `hh:mm`, rounded up to five minutes. */
function soon(minutes: number): string {
  const at = Math.ceil((Date.now() + minutes * 60_000) / 300_000) * 300_000;
  return new Intl.DateTimeFormat('en-GB', { timeZone: venueTimeZone.value, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** One kept order: its link and its state, live. */
function VisitOrderLink(props: { orderId: string; n: number }) {
  const order = useFoodOrder(props.orderId);
  const total = (order?.context as OrderContext | undefined)?.total;
  return (
    <li data-order={props.orderId}>
      <Link href={`/food-orders/${encodeURIComponent(props.orderId)}`}>
        {w().orderTitle} {number(props.n)}
      </Link>
      {order ? (
        <span class="hint">
          {sep()}
          {total === undefined ? '' : `${money(total)}${sep()}`}
          <span class="state" data-state={order.state}>
            {foodStateLabel(order.state)}
          </span>
        </span>
      ) : null}
    </li>
  );
}

/** The food orders placed on this device for a booking, live (shown on the booking page and the menu). */
export function VisitOrderLinks(props: { bookingId: string }) {
  const orders = visitOrdersOf(props.bookingId);
  if (orders.length === 0) return null;
  return (
    <nav class="panel visit-orders" aria-labelledby="visit-orders-title">
      <h2 id="visit-orders-title">{w().orders}</h2>
      <ul>
        {orders.map((orderId, i) => (
          <VisitOrderLink key={orderId} orderId={orderId} n={i + 1} />
        ))}
      </ul>
    </nav>
  );
}

/** `/bookings/:id/food`: the menu, the cart and the pickup, then the order placed. */
export function VisitFoodPage(props: { bookingId: string }) {
  const [cart, setCart] = useState<FoodCart>(() => ({ ...EMPTY_CART, pickup: 'asap', time: soon(45) }));
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const signedIn = account.value !== null || hasSession();
  if (!signedIn) {
    return (
      <section>
        <h1>{w().title}</h1>
        <SignInPanel initialMode="returning" onSignedIn={() => {}} />
      </section>
    );
  }
  const request = foodRequest(cart);
  async function place() {
    if (request === undefined) return setProblem(w().empty);
    setBusy(true);
    setProblem('');
    const answer = await signedInCall((token) => api.placeVisitOrder(props.bookingId, request as VisitOrderRequest, token));
    setBusy(false);
    if (!answer.ok) return setProblem(refusalText(answer));
    rememberOrder(props.bookingId, answer.data.id);
    navigate(`/food-orders/${encodeURIComponent(answer.data.id)}`);
  }
  return (
    <section class="visit-food" data-booking={props.bookingId}>
      <h1>{w().title}</h1>
      <FoodPicker cart={cart} onChange={setCart} duringVisit />
      {problem ? (
        <p class="error" role="alert" id="order-problem">
          {problem}
        </p>
      ) : null}
      <div class="row">
        <button type="button" id="place-order" disabled={busy || request === undefined || !online.value} onClick={() => void place()}>
          {busy ? w().placing : w().place}
        </button>
        <Link href={`/bookings/${encodeURIComponent(props.bookingId)}`}>{w().back}</Link>
      </div>
      <VisitOrderLinks bookingId={props.bookingId} />
    </section>
  );
}

/** The lines as the hub priced them, with their choices, and the total. */
function OrderSummary(props: { lines: FoodLine[]; total: number }) {
  useMenuNames();
  return (
    <section class="summary panel" aria-labelledby="order-summary-title">
      <h2 id="order-summary-title">{w().summary}</h2>
      <table>
        <tbody>
          {props.lines.map((line) => (
            <tr key={line.lineId} class="food-line">
              <td>
                {lineName(line)} × {number(line.qty)}
                {line.modifiers.length > 0 ? <div class="hint">{line.modifiers.map((m) => modifierName(line, m)).join(sep())}</div> : null}
              </td>
              <td class="amount">{money(line.unitPrice * line.qty)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{w().total}</th>
            <td class="amount" id="order-total">
              {money(props.total)}
            </td>
          </tr>
        </tfoot>
      </table>
      <p class="hint">{w().vat}</p>
    </section>
  );
}

type OrderContext = { lines: FoodLine[]; total: number; visitBookingId?: string; bookingId?: string; capturedAmount: number; refundedAmount: number; paymentFailure?: { paymentId: string } };

/** `/food-orders/:id`: the order as priced, paying it, cancelling it in time, and its status live. */
export function FoodOrderPage(props: { orderId: string }) {
  const [order, setOrder] = useState<ActorState | null>(null);
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const signedIn = account.value !== null || hasSession();
  useEffect(() => {
    if (!signedIn) return;
    const subscription = hub().subscribeActor({ kind: 'food_order', id: props.orderId }, (state) => setOrder(state));
    void subscription.ready.then((answer) => {
      if (!answer.ok) setProblem(answer.code === 'actor.not_found' || answer.code === 'auth.forbidden' ? w().notFound : refusalText(answer));
    });
    return () => void subscription.unsubscribe();
  }, [props.orderId, signedIn]);
  // Kept on this device with its booking, so the booking page links to it.
  const visitOf = (order?.context as OrderContext | undefined)?.visitBookingId;
  useEffect(() => {
    if (order && visitOf !== undefined) rememberOrder(visitOf, order.id);
  }, [order?.id, visitOf]);

  if (!signedIn) {
    return (
      <section>
        <h1>{w().orderTitle}</h1>
        <SignInPanel initialMode="returning" onSignedIn={() => {}} />
      </section>
    );
  }
  if (problem) return <p class="error">{problem}</p>;
  if (!order) return <p>{t('common.loading')}</p>;
  const context = order.context as OrderContext;
  const visit = context.visitBookingId;

  async function pay(method: (typeof METHODS)[number]['method']) {
    const answer = await signedInCall((token) => api.payFoodOrder(props.orderId, method, token));
    if (!answer.ok) return setNotice(refusalText(answer));
    location.assign(answer.data.redirectUrl);
  }
  async function cancel() {
    const answer = await signedInCall((token) => api.cancelFoodOrder(props.orderId, {}, token));
    setNotice(answer.ok ? w().cancelled : refusalText(answer));
  }
  const payable = order.tags.includes('unpaid') && visit !== undefined && online.value;
  return (
    <section class="food-order-page" data-order={order.id}>
      <h1>{w().orderTitle}</h1>
      <OrderSummary lines={context.lines} total={context.total} />
      {payable ? (
        <div class="pay">
          {context.paymentFailure ? (
            <p class="error" id="food-payment-failed" role="alert">
              {w().declined}
            </p>
          ) : null}
          <p>{w().pay.replace('{amount}', money(context.total))}</p>
          <div class="row">
            {METHODS.map(({ method, label }) => (
              <button type="button" key={method} data-method={method} onClick={() => void pay(method)}>
                {w()[label]}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      {notice ? (
        <p role="status" id="notice">
          {notice}
        </p>
      ) : null}
      {order.state !== 'placed' ? <FoodOrderView order={order} hideLines /> : null}
      {context.refundedAmount > 0 ? (
        <p id="food-refunded">
          {w().refunded}: {money(context.refundedAmount)}
        </p>
      ) : null}
      {order.tags.includes('cancellable') && visit !== undefined && online.value ? (
        <button type="button" class="quiet" id="cancel-order" onClick={() => void cancel()}>
          {w().cancel}
        </button>
      ) : null}
      {visit !== undefined ? (
        <p class="row">
          <Link href={`/bookings/${encodeURIComponent(visit)}/food`}>{w().more}</Link>
          <Link href={`/bookings/${encodeURIComponent(visit)}`}>{w().back}</Link>
        </p>
      ) : null}
    </section>
  );
}
