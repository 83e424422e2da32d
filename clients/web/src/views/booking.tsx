/**
 * One booking, live: its state streamed over the socket (held → under review → awaiting payment →
 * confirmed …), the deadline counting down, and what the visitor may do in that state, decided by
 * the state's tags from the hub (payable, cancellable, admits), not by a table kept here. A change
 * the venue made follows live (new slot, party and tickets); one that waits for the difference is
 * shown with the pay buttons for that amount.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext, PendingChange } from '../../../../machines/booking.schemas.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { BookingTicket, CancellationTerms } from '../../../sdk/index.js';
import { Link } from '../app.js';
import { activityName, addOnName, loadCatalog, ticketTypeName } from '../catalog.js';
import { dayLabel, money, timeLeft, venueDay } from '../format.js';
import type { MessageKey } from '../messages.js';
import { lang, localeOf, number, sep, t } from '../i18n.js';
import { keep, kept } from '../kept.js';
import { QrCode } from '../qr.js';
import { refusalText } from '../refusals.js';
import { account, api, hasSession, hub, online, signedInCall } from '../session.js';
import { FoodOrderStatus, preOrderLabel } from './food.js';
import { VisitOrderLinks } from './visit-food.js';
import { SignInPanel } from './sign-in.js';

type Booking = Omit<ActorState, 'context'> & { context: BookingContext };
const METHODS = [
  { method: 'card', label: 'booking.payCard' },
  { method: 'mada', label: 'booking.payMada' },
  { method: 'applepay', label: 'booking.payApple' },
] as const;

/** The activity, day and time a slot id names (`<activity>-<yyyy-mm-dd>-<hhmm>`, the catalog's form). */
export function slotLabel(slotId: string): string {
  const found = /^(.*)-(\d{4}-\d{2}-\d{2})-(\d{2})(\d{2})$/.exec(slotId);
  if (!found) return slotId;
  const [, activityId = '', day = '', hours = '', minutes = ''] = found;
  const time = new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(Date.UTC(2000, 0, 1, Number(hours), Number(minutes)));
  return [activityName(activityId), dayLabel(day), time].join(sep());
}

/** Whether the booking's slot (`<activity>-<yyyy-mm-dd>-<hhmm>`) is today on the venue's clock. */
function isToday(slotId: string): boolean {
  return /-(\d{4}-\d{2}-\d{2})-\d{4}$/.exec(slotId)?.[1] === venueDay(0);
}

/** Re-renders every second while a deadline counts down. */
function useClock(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** How often, and how many times, the tickets are asked for again while some are still being issued. */
const TICKETS_RETRY_MS = 1_000;
const TICKETS_RETRIES = 30;

function Tickets(props: { bookingId: string; version: number; expected: number }) {
  // The tickets kept on this device show at once, and offline (a gate without signal).
  const [tickets, setTickets] = useState<BookingTicket[] | null>(() => kept<BookingTicket[]>(`tickets.${props.bookingId}`));
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Tickets are issued just after the booking changes (confirmed, or changed by the venue): ask until they are all there.
    const load = (tries: number) =>
      void signedInCall((token) => api.tickets(props.bookingId, token)).then((answer) => {
        if (stopped || !answer.ok) return;
        setTickets(answer.data);
        keep(`tickets.${props.bookingId}`, answer.data);
        if (answer.data.length < props.expected && tries > 0) timer = setTimeout(() => load(tries - 1), TICKETS_RETRY_MS);
      });
    load(TICKETS_RETRIES);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.bookingId, props.version]);
  if (tickets === null) return <p>{t('common.loading')}</p>;
  return (
    <section class="tickets" aria-labelledby="tickets-title">
      <h2 id="tickets-title">{t('booking.tickets')}</h2>
      <p>{t('booking.ticketsHint')}</p>
      <ol class="ticket-list">
        {tickets.map((ticket, index) => {
          const label = t('booking.ticketLabel', { n: index + 1, count: tickets.length, type: ticketTypeName(ticket.ticketTypeId) });
          return (
            <li class="ticket" key={ticket.ticketId} data-ticket-id={ticket.ticketId} data-state={ticket.state}>
              <p class="ticket-label">{label}</p>
              {ticket.token !== undefined ? <QrCode text={ticket.token} label={label} /> : <p class="note">{t('booking.ticketRevoked')}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A change the venue offers a paid booking, for the difference: the visitor pays it through the usual flow. */
function ChangeDue(props: { booking: Booking; pending: PendingChange; now: number; onError: (message: string) => void }) {
  const { pending, booking } = props;
  const people = pending.lines.reduce((sum, line) => sum + line.qty * (line.admits ?? 1), 0);
  return (
    <section class="panel" id="change-due" data-due={pending.due} aria-labelledby="change-due-title">
      <h2 id="change-due-title">{t('booking.changeDueTitle')}</h2>
      <p>{t('booking.changeDue', { slot: slotLabel(pending.slotId), people: number(people), amount: money(pending.due) })}</p>
      {booking.deadline !== undefined ? (
        <p role="timer" id="change-countdown">
          {t('booking.changeDueUntil', { left: timeLeft(booking.deadline - props.now) })}
        </p>
      ) : null}
      {online.value ? <PaymentActions booking={booking} amount={pending.due} onError={props.onError} /> : null}
    </section>
  );
}

function CancelDialog(props: { bookingId: string; onDone: (terms: CancellationTerms) => void; onClose: () => void }) {
  const [terms, setTerms] = useState<CancellationTerms | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void signedInCall((token) => api.cancellation(props.bookingId, token)).then((answer) => (answer.ok ? setTerms(answer.data) : setError(refusalText(answer))));
  }, [props.bookingId]);
  async function confirm() {
    setBusy(true);
    const answer = await signedInCall((token) => api.cancel(props.bookingId, {}, token));
    setBusy(false);
    if (!answer.ok) return setError(refusalText(answer));
    props.onDone(answer.data);
  }
  return (
    <section class="panel dialog" role="dialog" aria-modal="false" aria-labelledby="cancel-title" id="cancel-dialog">
      <h2 id="cancel-title">{t('booking.cancelTitle')}</h2>
      {terms === null && !error ? <p>{t('common.loading')}</p> : null}
      {terms ? (
        <p id="cancel-terms" data-rule={terms.rule} data-refund={terms.refundAmount}>
          {terms.rule === 'unpaid' ? t('booking.cancelUnpaid') : terms.refundAmount > 0 ? t('booking.cancelRefund', { amount: money(terms.refundAmount) }) : t('booking.cancelNoRefund')}
        </p>
      ) : null}
      {error ? <p class="error" role="alert">{error}</p> : null}
      <div class="row">
        <button type="button" class="danger" id="cancel-confirm" disabled={terms === null || busy} onClick={() => void confirm()}>
          {t('booking.cancelConfirm')}
        </button>
        <button type="button" class="quiet" onClick={props.onClose}>
          {t('booking.cancelKeep')}
        </button>
      </div>
    </section>
  );
}

function PaymentActions(props: { booking: Booking; amount: number; onError: (message: string) => void }) {
  const { context } = props.booking;
  async function pay(method: (typeof METHODS)[number]['method']) {
    const answer = await signedInCall((token) => api.pay(props.booking.id, method, token));
    if (!answer.ok) return props.onError(refusalText(answer));
    location.assign(answer.data.redirectUrl);
  }
  const failed = context.paymentStatus === 'failed';
  const pending = context.paymentStatus === 'pending';
  return (
    <div class="pay">
      {failed ? (
        <p class="error" id="payment-failed" role="alert">
          {t('booking.paymentFailed')}
        </p>
      ) : null}
      {pending ? <p class="note">{context.pendingReason ? t(`booking.pending.${context.pendingReason}` as MessageKey) : t('booking.paymentPending')}</p> : null}
      <p>{failed ? t('booking.retry') : t('booking.payWith', { amount: money(props.amount) })}</p>
      <div class="row">
        {METHODS.map(({ method, label }) => (
          <button type="button" key={method} data-method={method} onClick={() => void pay(method)}>
            {t(label)}
          </button>
        ))}
      </div>
    </div>
  );
}

export function BookingPage(props: { bookingId: string }) {
  useEffect(() => void loadCatalog(), []);
  const [booking, setBooking] = useState<Booking | null>(() => kept<Booking>(`booking.${props.bookingId}`));
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const signedIn = account.value !== null || hasSession();
  const userId = account.value?.userId;

  useEffect(() => {
    if (!signedIn) return;
    const subscription = hub().subscribeActor({ kind: 'booking', id: props.bookingId }, (state) => {
      setBooking(state as Booking);
      keep(`booking.${props.bookingId}`, state);
    });
    void subscription.ready.then((answer) => {
      // Unreachable (offline): the kept booking stays on screen; a refusal replaces it.
      if (answer.ok || (answer.code.startsWith('client.') && kept(`booking.${props.bookingId}`) !== null)) return;
      setProblem(answer.code === 'actor.not_found' || answer.code === 'auth.forbidden' ? t('booking.notFound') : refusalText(answer));
    });
    return () => void subscription.unsubscribe();
  }, [props.bookingId, signedIn, userId]);

  const counting = booking?.deadline !== undefined;
  const now = useClock(counting);

  if (!signedIn) {
    return (
      <section>
        <h1>{t('booking.title')}</h1>
        <SignInPanel initialMode="returning" onSignedIn={() => {}} />
      </section>
    );
  }
  if (problem) return <p class="error">{problem}</p>;
  if (!booking) return <p>{t('common.loading')}</p>;

  const { context, tags, state } = booking;
  const deadlineKey = `booking.deadline.${state}` as MessageKey;
  async function submit() {
    const answer = await hub().command('booking', props.bookingId, { type: 'booking.submit' });
    if (!answer.ok) setNotice(refusalText(answer));
  }

  return (
    <section class="booking" data-booking={booking.id}>
      <h1>{t('booking.title')}</h1>
      {online.value ? null : (
        <p class="note" id="kept-note">
          {t('booking.kept')}
        </p>
      )}
      <p class="status">
        {t('booking.status')}:{' '}
        <span class="state" id="state" data-state={state}>
          {t(`state.${state}` as MessageKey)}
        </span>
      </p>
      {booking.deadline !== undefined && tags.includes('pending') ? (
        <p id="countdown" role="timer">
          {t(deadlineKey, { left: timeLeft(booking.deadline - now) })}
        </p>
      ) : null}
      {state === 'rejected' ? <p class="error">{t('booking.rejected', { reason: context.rejectReason ?? '' })}</p> : null}

      <dl class="facts panel">
        <dt>{t('booking.slot')}</dt>
        <dd>{slotLabel(context.slotId)}</dd>
        <dt>{t('booking.lines')}</dt>
        <dd>
          <ul>
            {context.lines.map((line) => (
              <li key={line.ticketTypeId}>
                {ticketTypeName(line.ticketTypeId)} × {number(line.qty)} — {money(line.unitPrice * line.qty)}
              </li>
            ))}
            {(context.addOns ?? []).map((line) => (
              <li key={line.addOnId}>
                {line.addOnId === 'food-preorder' ? preOrderLabel() : addOnName(line.addOnId)} × {number(line.qty)} — {money(line.unitPrice * line.qty)}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('book.total')}</dt>
        <dd id="booking-total">{money(context.total)}</dd>
        {context.refundedAmount > 0 ? (
          <>
            <dt>{t('booking.refunded', { amount: '' }).trim()}</dt>
            <dd id="refunded">{money(context.refundedAmount)}</dd>
          </>
        ) : null}
      </dl>

      {notice ? (
        <p role="status" id="notice">
          {notice}
        </p>
      ) : null}
      {state === 'held' ? (
        <button type="button" id="submit" onClick={() => void submit()}>
          {t('booking.submit')}
        </button>
      ) : null}
      {tags.includes('payable') && online.value ? <PaymentActions booking={booking} amount={context.total - context.capturedAmount} onError={setNotice} /> : null}
      {state === 'confirmed' && context.pendingChange ? <ChangeDue booking={booking} pending={context.pendingChange} now={now} onError={setNotice} /> : null}
      {(context.addOns ?? []).some((a) => a.addOnId === 'food-preorder') ? <FoodOrderStatus bookingId={booking.id} /> : null}
      {/* Food during a visit that admits, on its day (the hub decides; this only offers it). */}
      {tags.includes('admits') && isToday(context.slotId) && online.value ? (
        <p>
          <Link href={`/bookings/${encodeURIComponent(booking.id)}/food`} id="order-food" class="button">
            {t('booking.orderFood')}
          </Link>
        </p>
      ) : null}
      <VisitOrderLinks bookingId={booking.id} />
      {tags.includes('admits') ? <Tickets bookingId={booking.id} version={booking.version} expected={context.quantity - (context.cancelledTickets?.length ?? 0)} /> : null}
      {tags.includes('cancellable') && online.value && !cancelling ? (
        <button type="button" class="quiet" id="cancel" onClick={() => setCancelling(true)}>
          {t('booking.cancel')}
        </button>
      ) : null}
      {cancelling ? (
        <CancelDialog
          bookingId={booking.id}
          onClose={() => setCancelling(false)}
          onDone={(terms) => {
            setCancelling(false);
            setNotice(t('booking.cancelled', { amount: money(terms.refundAmount) }));
          }}
        />
      ) : null}
      <p>
        <Link href="/bookings">{t('nav.bookings')}</Link>
      </p>
    </section>
  );
}
