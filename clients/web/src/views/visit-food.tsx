/**
 * Ordering food during the visit, on the visitor's phone: the menu for the booking of today
 * (`/bookings/:id/food`), then the placed order (`/food-orders/:id`) with the lines and total the
 * hub priced, paid on its own on the provider's page, and its status live until it is ready and
 * collected. The visitor's orders come from the hub (the `food_orders` feed of their account,
 * snapshot then every change), so the booking page lists them on every phone they sign in on.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { FoodLine, FoodOrderContext } from '../../../../machines/food-order.schemas.js';
import { followFeedRows } from '../../../sdk/index.js';
import type { VisitOrderRequest } from '../../../sdk/index.js';
import { Link } from '../app.js';
import { money, timeOfDay, venueTimeZone } from '../format.js';
import { lang, number, sep, t } from '../i18n.js';
import { refusalText } from '../refusals.js';
import { navigate } from '../router.js';
import { account, api, hasSession, hub, online, signedInCall } from '../session.js';
import type { FoodCart } from './food.js';
import { EMPTY_CART, FoodOrderView, FoodPicker, foodRequest, foodStateLabel, lineName, choiceName, useMenuNames } from './food.js';
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
    payBy: 'Pay by {time}, or the order is cancelled.',
    expired: 'Not paid in time: this order was cancelled and the kitchen never started it. Order again when you are ready.',
    financeCancelled: 'The venue gave back what you paid for this order and cancelled it.',
    financeRefunded: 'The venue gave back {amount} of this order.',
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
    payBy: 'ادفع قبل {time}، وإلا أُلغي الطلب.',
    expired: 'لم يُدفع في الوقت المحدد: أُلغي هذا الطلب ولم يبدأ المطبخ بتحضيره. اطلب مجدداً متى شئت.',
    financeCancelled: 'أعاد المكان إليك ما دفعته لهذا الطلب وألغاه.',
    financeRefunded: 'أعاد المكان إليك {amount} من هذا الطلب.',
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


/**
 * The signed-in visitor's food orders as the hub lists them (the `food_orders` feed of their
 * account: the snapshot, then every change), null until it answers.
 */
function useMyFoodOrders(): ActorState[] | null {
  const userId = account.value?.userId;
  const [rows, setRows] = useState<ActorState[] | null>(null);
  useEffect(() => {
    if (userId === undefined) return;
    const follow = followFeedRows(hub(), { feed: 'food_orders', zone: userId, limit: 500 }, undefined, (now) => setRows([...now.values()]));
    return () => follow.stop();
  }, [userId]);
  return rows;
}

/** The venue-local time `minutes` from now, `hh:mm`, rounded up to five minutes. */
function soon(minutes: number): string {
  const at = Math.ceil((Date.now() + minutes * 60_000) / 300_000) * 300_000;
  return new Intl.DateTimeFormat('en-GB', { timeZone: venueTimeZone.value, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** One order of the visit: its link, its total and its state, live. */
function VisitOrderLink(props: { order: ActorState; n: number }) {
  const { order } = props;
  const { total } = order.context as OrderContext;
  return (
    <li data-order={order.id}>
      <Link href={`/food-orders/${encodeURIComponent(order.id)}`}>
        {w().orderTitle} {number(props.n)}
      </Link>
      <span class="hint">
        {sep()}
        {money(total)}
        {sep()}
        <span class="state" data-state={order.state}>
          {foodStateLabel(order.state)}
        </span>
      </span>
    </li>
  );
}

/** The visitor's food orders during the visit of a booking, in the order they were placed, live (the booking page and the menu). */
export function VisitOrderLinks(props: { bookingId: string }) {
  const mine = useMyFoodOrders();
  const orders = (mine ?? [])
    .filter((order) => (order.context as OrderContext).visitBookingId === props.bookingId)
    .sort((a, b) => (a.context as OrderContext).placedAt - (b.context as OrderContext).placedAt || a.id.localeCompare(b.id));
  if (orders.length === 0) return null;
  return (
    <nav class="panel visit-orders" aria-labelledby="visit-orders-title">
      <h2 id="visit-orders-title">{w().orders}</h2>
      <ul>
        {orders.map((order, i) => (
          <VisitOrderLink key={order.id} order={order} n={i + 1} />
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
                {line.modifiers.length > 0 ? <div class="hint">{line.modifiers.map(choiceName).join(sep())}</div> : null}
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

type OrderContext = Pick<FoodOrderContext, 'lines' | 'total' | 'placedAt' | 'visitBookingId' | 'bookingId' | 'capturedAmount' | 'refundedAmount' | 'paymentFailure' | 'payBy' | 'cancelCause' | 'financeRefundedAmount'>;

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
      if (!answer.ok) setProblem(answer.code === 'actor.not_found' || answer.code === 'auth.forbidden' ? w().notFound : answer.message);
    });
    return () => void subscription.unsubscribe();
  }, [props.orderId, signedIn]);

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
          {context.payBy === undefined ? null : (
            <p id="pay-by">
              <strong>{w().payBy.replace('{time}', timeOfDay(context.payBy))}</strong>
            </p>
          )}
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
      {context.cancelCause === undefined ? null : (
        <p role="status" id="cancel-cause" data-cause={context.cancelCause}>
          {context.cancelCause === 'payment_due' ? w().expired : w().financeCancelled}
        </p>
      )}
      {context.cancelCause !== 'finance_refund' && (context.financeRefundedAmount ?? 0) > 0 ? (
        <p role="status" id="finance-refunded">
          {w().financeRefunded.replace('{amount}', money(context.financeRefundedAmount ?? 0))}
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
