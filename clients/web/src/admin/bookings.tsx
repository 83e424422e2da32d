/**
 * Bookings: search the bookings read model (reference, visitor name, email, phone; by state and
 * day), and one booking's detail followed live with its history ("why is it in this state?":
 * every event, who, when; a paid change's from → to and money on its rows). Finance roles refund
 * its captured payments from here; other roles do not see the refund form (and the hub refuses
 * them anyway). Booking admins change it (move.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext } from '../../../../machines/booking.schemas.js';
import type { BookingHistory, BookingHistoryChange } from '../../../../machines/contract/bookings.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import { addOnName, loadCatalog, ticketTypeName } from '../catalog.js';
import { dateTime, money } from '../format.js';
import { api, hub, signedInCall } from '../session.js';
import { can } from './access.js';
import { AdminLink } from './link.js';
import { ta, taOr } from './messages.js';
import { MoveBooking } from './move.js';
import { slotName } from './slots.js';

const STATES = ['held', 'under_review', 'awaiting_payment', 'confirmed', 'checked_in', 'leaving', 'checked_out', 'cancelled', 'refunded', 'expired', 'rejected'];

function State(props: { state: string; id?: string }) {
  return (
    <span class="state" data-state={props.state} id={props.id}>
      {taOr('state', props.state)}
    </span>
  );
}

export function BookingsSearchPage() {
  const [text, setText] = useState('');
  const [state, setState] = useState('');
  const [rows, setRows] = useState<ActorState[] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState('');

  async function search(after?: string) {
    setError('');
    const answer = await hub().listPage({ list: 'bookings', limit: 50, ...(text.trim() === '' ? {} : { text: text.trim() }), ...(state === '' ? {} : { filters: { state } }), ...(after === undefined ? {} : { after }) });
    if (!answer.ok) return setError(answer.message);
    setRows((current) => (after === undefined ? answer.data.rows : [...(current ?? []), ...answer.data.rows]));
    setNext(answer.data.next);
  }
  useEffect(() => {
    void loadCatalog();
    void search();
  }, []);

  return (
    <section id="bookings">
      <h1>{ta('nav.bookings')}</h1>
      <form
        class="filters panel"
        id="booking-search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <div class="field grow">
          <label for="booking-text">{ta('bookings.searchLabel')}</label>
          <input id="booking-text" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="booking-state">{ta('bookings.state')}</label>
          <select id="booking-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">{ta('common.all')}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {taOr('state', s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{ta('common.search')}</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null && !error ? <p>{ta('common.loading')}</p> : null}
      {rows !== null && rows.length === 0 ? <p class="muted">{ta('common.none')}</p> : null}
      <ul class="booking-rows" role="list">
        {(rows ?? []).map((row) => {
          const context = row.context as BookingContext;
          return (
            <li key={row.id} class="panel booking-row" data-booking={row.id}>
              <AdminLink href={`/admin/bookings/${encodeURIComponent(row.id)}`}>{slotName(context.slotId)}</AdminLink> <State state={row.state} />
              <p class="muted">
                <span dir="ltr">{row.id}</span> · {context.holder?.name ?? context.visitorId} · {ta('reviews.people', { count: context.quantity })} · {money(context.total)}
              </p>
            </li>
          );
        })}
      </ul>
      {next !== undefined ? (
        <button type="button" class="quiet" onClick={() => void search(next)}>
          {ta('bookings.more')}
        </button>
      ) : null}
    </section>
  );
}

function RefundForm(props: { bookingId: string; paymentId: string; refundable: number }) {
  const [amount, setAmount] = useState((props.refundable / 100).toFixed(2));
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [requestId] = useState(() => `refund-${crypto.randomUUID()}`);
  async function refund(event: Event) {
    event.preventDefault();
    const halalas = Math.round(Number(amount.replace(',', '.')) * 100);
    if (!Number.isFinite(halalas) || halalas <= 0) return setError(ta('bookings.refundInvalid'));
    setError('');
    const answer = await signedInCall((token) => api.refund({ paymentId: props.paymentId, amount: halalas, requestId }, token));
    if (!answer.ok) return setError(answer.message);
    setMessage(ta('bookings.refunded', { amount: money(answer.data.amount) }));
  }
  return (
    <form class="refund-form" data-payment={props.paymentId} onSubmit={refund}>
      <label for={`refund-${props.paymentId}`}>{ta('bookings.refundAmount')}</label>
      <input id={`refund-${props.paymentId}`} type="text" inputMode="decimal" dir="ltr" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
      <button type="submit" class="danger refund">
        {ta('bookings.refund')}
      </button>
      {message ? <p role="status">{message}</p> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** A paid change on its history row: from → to, and what became of the difference. */
function ChangeSummary(props: { change: BookingHistoryChange }) {
  const { change } = props;
  return (
    <p class="change muted" data-difference={change.difference}>
      {ta('history.change', { from: slotName(change.from.slotId), to: slotName(change.to.slotId), fromPeople: change.from.people, toPeople: change.to.people })}
      {' · '}
      {ta(`settlement.${change.settlement}`, { amount: money(Math.abs(change.difference)) })}
    </p>
  );
}

export function BookingDetailPage(props: { bookingId: string }) {
  const [booking, setBooking] = useState<ActorState | null>(null);
  const [history, setHistory] = useState<BookingHistory | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    void loadCatalog();
    const subscription = hub().subscribeActor({ kind: 'booking', id: props.bookingId }, (state) => setBooking(state));
    void subscription.ready.then((answer) => {
      if (!answer.ok) setError(answer.message);
    });
    return () => void subscription.unsubscribe();
  }, [props.bookingId]);
  // The history is read again whenever the booking moves on.
  useEffect(() => {
    void signedInCall((token) => api.request<BookingHistory>('GET', `/api/admin/bookings/${encodeURIComponent(props.bookingId)}/history`, { token })).then((answer) => {
      if (answer.ok) setHistory(answer.data);
    });
  }, [props.bookingId, booking?.version]);

  if (error) {
    return (
      <section>
        <p class="error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (booking === null) return <p>{ta('common.loading')}</p>;
  const context = booking.context as BookingContext;
  const captured = context.payments.filter((payment) => payment.status === 'captured');
  const refundable = context.capturedAmount - context.refundRequestedAmount;
  return (
    <section id="booking-detail" data-booking={booking.id} data-version={booking.version}>
      <p>
        <AdminLink href="/admin/bookings">{ta('bookings.back')}</AdminLink>
      </p>
      <h1>{slotName(context.slotId)}</h1>
      <p>
        <State state={booking.state} id="booking-state" /> <span class="muted" dir="ltr">{booking.id}</span>
      </p>
      <dl class="facts">
        <dt>{ta('reviews.holder')}</dt>
        <dd>
          {context.holder?.name ?? context.visitorId}
          {context.holder?.email ? <span dir="ltr"> · {context.holder.email}</span> : null}
          {context.holder?.phone ? <span dir="ltr"> · {context.holder.phone}</span> : null}
        </dd>
        <dt>{ta('bookings.slot')}</dt>
        <dd id="booking-slot" data-slot={context.slotId}>
          {slotName(context.slotId)}
        </dd>
        <dt>{ta('bookings.tickets')}</dt>
        <dd>
          <ul id="booking-lines">
            {context.lines.map((line) => (
              <li key={line.ticketTypeId} data-ticket-type={line.ticketTypeId} data-qty={line.qty}>
                {line.qty} × {ticketTypeName(line.ticketTypeId)} · {money(line.unitPrice)}
              </li>
            ))}
            {(context.addOns ?? []).map((addOn) => (
              <li key={addOn.addOnId}>
                {addOn.qty} × {addOnName(addOn.addOnId)} · {money(addOn.unitPrice)}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{ta('reviews.total')}</dt>
        <dd id="booking-total" data-total={context.total}>
          {money(context.total)}
        </dd>
        <dt>{ta('bookings.paid')}</dt>
        <dd>
          {money(context.capturedAmount)}
          {context.refundRequestedAmount > 0 ? ` · ${ta('dash.refunds')}: ${money(context.refundRequestedAmount)}` : ''}
        </dd>
        {context.rejectReason ? (
          <>
            <dt>{ta('bookings.rejectReason')}</dt>
            <dd>{context.rejectReason}</dd>
          </>
        ) : null}
      </dl>
      {can('booking.change') ? <MoveBooking booking={booking} /> : null}
      {can('payment.refund') && refundable > 0 && captured.length > 0 ? (
        <div class="panel" id="refunds">
          <h2>{ta('bookings.refunds')}</h2>
          {captured.map((payment) => (
            <RefundForm key={payment.paymentId} bookingId={booking.id} paymentId={payment.paymentId} refundable={Math.min(payment.amount, refundable)} />
          ))}
        </div>
      ) : null}
      <h2>{ta('bookings.history')}</h2>
      {history === null ? (
        <p>{ta('common.loading')}</p>
      ) : (
        <table class="history" id="booking-history">
          <thead>
            <tr>
              <th scope="col">{ta('money.at')}</th>
              <th scope="col">{ta('bookings.event')}</th>
              <th scope="col">{ta('money.by')}</th>
              <th scope="col">{ta('bookings.fromTo')}</th>
            </tr>
          </thead>
          <tbody>
            {history.events.map((event) => (
              <tr key={event.version} data-event={event.eventType} data-settlement={event.change?.settlement}>
                <td>{dateTime(event.at)}</td>
                <td>
                  <span dir="ltr">{event.eventType}</span>
                  {event.change ? <ChangeSummary change={event.change} /> : null}
                </td>
                <td dir="ltr">{event.who}</td>
                <td>
                  {event.from === null ? '—' : taOr('state', event.from)} → {taOr('state', event.to)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
