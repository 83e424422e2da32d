/**
 * A booking admin's change of a booking: another day and time of the same activity and/or another
 * party, priced by the hub (POST /api/catalog/price) before it is sent
 * (POST /api/admin/bookings/:id/change); the hub moves its places in the slot ledger at once.
 *
 * A paid booking (confirmed) changes under the money rule, shown before the admin confirms:
 * cheaper, the difference is refunded at once; the same price, no money moves; dearer, the visitor
 * pays the difference first (the change waits, its places reserved) or the admin waives it. Every
 * change of a paid booking reissues its tickets. A change waiting for the visitor's payment is
 * shown instead of the form, with a way to withdraw it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext, PendingChange } from '../../../../machines/booking.schemas.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { CatalogSlot, PriceQuote } from '../../../sdk/index.js';
import { activities, localized } from '../catalog.js';
import { dateTime, money, timeOfDay } from '../format.js';
import { api, signedInCall } from '../session.js';
import { ta } from './messages.js';
import { slotName, slotParts, slotsOfDay } from './slots.js';

/** States in which a booking can still be changed (the hub decides again). */
const CHANGEABLE = ['held', 'under_review', 'awaiting_payment', 'confirmed'];

type PriceIncrease = 'collect' | 'waive';

/** The same ticket types in the same numbers, whatever their order. */
function sameParty(items: ReadonlyArray<{ ticketTypeId: string; qty: number }>, lines: ReadonlyArray<{ ticketTypeId: string; qty: number }>): boolean {
  const key = (list: ReadonlyArray<{ ticketTypeId: string; qty: number }>) => list.map((l) => `${l.ticketTypeId}×${l.qty}`).sort().join(',');
  return key(items) === key(lines);
}

/** What the change will do with the money, in words, before it is confirmed. */
function MoneyOutcome(props: { difference: number; increase: PriceIncrease; onIncrease: (choice: PriceIncrease) => void }) {
  const { difference } = props;
  const amount = money(Math.abs(difference));
  return (
    <div id="move-money" class="panel note" data-difference={difference} aria-live="polite">
      {difference < 0 ? <p>{ta('move.refund', { amount })}</p> : null}
      {difference === 0 ? <p>{ta('move.samePrice')}</p> : null}
      {difference > 0 ? (
        <fieldset>
          <legend>{ta('move.dearer', { amount })}</legend>
          <label>
            <input type="radio" name="move-increase" value="collect" id="move-collect" checked={props.increase === 'collect'} onChange={() => props.onIncrease('collect')} /> {ta('move.collect', { amount })}
          </label>
          <label>
            <input type="radio" name="move-increase" value="waive" id="move-waive" checked={props.increase === 'waive'} onChange={() => props.onIncrease('waive')} /> {ta('move.waive', { amount })}
          </label>
        </fieldset>
      ) : null}
      <p>{ta('move.reissue')}</p>
    </div>
  );
}

/** A paid booking's change waiting for the visitor's payment, and its withdrawal. */
function PendingChangePanel(props: { bookingId: string; pending: PendingChange; deadline: number | undefined }) {
  const { pending } = props;
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const people = pending.lines.reduce((sum, line) => sum + line.qty * (line.admits ?? 1), 0);
  async function withdraw() {
    setBusy(true);
    const answer = await signedInCall((token) => api.withdrawBookingChange(props.bookingId, token));
    setBusy(false);
    if (!answer.ok) setProblem(answer.message);
  }
  return (
    <section class="panel move" id="move-pending" data-due={pending.due}>
      <h2>{ta('move.pendingTitle')}</h2>
      <p>{ta('move.pending', { slot: slotName(pending.slotId), people, amount: money(pending.due) })}</p>
      {props.deadline !== undefined ? <p class="muted">{ta('move.pendingUntil', { at: dateTime(props.deadline) })}</p> : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="button" class="quiet" id="move-withdraw" disabled={busy} onClick={() => void withdraw()}>
        {ta('move.withdraw')}
      </button>
    </section>
  );
}

export function MoveBooking(props: { booking: ActorState }) {
  const context = props.booking.context as BookingContext;
  const paid = props.booking.state === 'confirmed';
  const parts = slotParts(context.slotId);
  const activity = activities.value?.find((a) => a.activityId === parts?.activityId);
  const [day, setDay] = useState(parts?.day ?? '');
  const [slots, setSlots] = useState<CatalogSlot[] | null>(null);
  const [slotId, setSlotId] = useState(context.slotId);
  const [qty, setQty] = useState<Record<string, number>>(() => Object.fromEntries(context.lines.map((line) => [line.ticketTypeId, line.qty])));
  const [quote, setQuote] = useState<PriceQuote | null>(null);
  const [increase, setIncrease] = useState<PriceIncrease>('collect');
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [changeId, setChangeId] = useState(() => `change-${crypto.randomUUID()}`);

  useEffect(() => {
    if (!parts || day === '') return;
    setSlots(null);
    void slotsOfDay(parts.activityId, day).then(setSlots);
  }, [day, props.booking.version]);

  const items = Object.entries(qty)
    .filter(([, n]) => n > 0)
    .map(([ticketTypeId, n]) => ({ ticketTypeId, qty: n }));
  const itemsKey = JSON.stringify(items);
  useEffect(() => {
    setQuote(null);
    setProblem('');
    if (items.length === 0) return;
    // A notice of an earlier change no longer speaks of what the form shows.
    if (slotId !== context.slotId || !sameParty(items, context.lines)) setNotice('');
    const addOns = (context.addOns ?? []).map(({ addOnId, qty: n }) => ({ addOnId, qty: n }));
    void api.price({ slotId, items, addOns }).then((answer) => (answer.ok ? setQuote(answer.data) : setProblem(answer.message)));
  }, [slotId, itemsKey, props.booking.version]);

  if (!CHANGEABLE.includes(props.booking.state) || !parts || !activity) return null;
  if (context.pendingChange) return <PendingChangePanel bookingId={props.booking.id} pending={context.pendingChange} deadline={props.booking.deadline} />;
  // The form as the booking is: nothing to change (the hub refuses it anyway).
  const unchanged = slotId === context.slotId && sameParty(items, context.lines);
  const difference = quote === null || unchanged ? null : quote.total - context.total;

  async function send(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    const body = { slotId, items, changeId, ...(paid && difference !== null && difference > 0 ? { priceIncrease: increase } : {}) };
    const answer = await signedInCall((token) => api.changeBooking(props.booking.id, body, token));
    setBusy(false);
    if (!answer.ok) return setProblem(answer.message);
    const after = answer.data.context as BookingContext;
    if (after.pendingChange) setNotice(ta('move.doneDue', { amount: money(after.pendingChange.due) }));
    else setNotice(paid ? ta('move.donePaid', { total: money(after.total) }) : ta('move.done', { total: money(after.total) }));
    setChangeId(`change-${crypto.randomUUID()}`);
  }

  return (
    <form class="panel move" id="move-booking" data-paid={paid ? 'true' : 'false'} onSubmit={send}>
      <h2>{ta('move.title')}</h2>
      <div class="field">
        <label for="move-day">{ta('move.day')}</label>
        <input id="move-day" type="date" dir="ltr" value={day} onInput={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} />
      </div>
      <fieldset class="slots">
        <legend>{ta('move.slot')}</legend>
        {slots === null ? <p>{ta('common.loading')}</p> : null}
        {(slots ?? []).map((slot) => {
          const current = slot.slotId === context.slotId;
          return (
            <label key={slot.slotId} class={slot.slotId === slotId ? 'slot chosen' : 'slot'} data-slot={slot.slotId} data-remaining={slot.remaining}>
              <input type="radio" name="move-slot" value={slot.slotId} checked={slot.slotId === slotId} disabled={!slot.bookable && !current} onChange={() => setSlotId(slot.slotId)} />
              <span class="time">{timeOfDay(slot.startsAt)}</span> <span class="left">{current ? ta('move.current') : ta('reviews.placesLeft', { left: slot.remaining, capacity: slot.capacity })}</span>
            </label>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>{ta('move.party')}</legend>
        {activity.ticketTypes
          .filter((type) => type.active || qty[type.ticketTypeId] !== undefined)
          .map((type) => (
            <div class="field" key={type.ticketTypeId}>
              <label for={`move-qty-${type.ticketTypeId}`}><bdi>{localized(type).name}</bdi></label>
              <input
                id={`move-qty-${type.ticketTypeId}`}
                type="number"
                min={0}
                max={type.maxPerBooking}
                value={qty[type.ticketTypeId] ?? 0}
                onInput={(e) => setQty({ ...qty, [type.ticketTypeId]: Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)) })}
              />
            </div>
          ))}
      </fieldset>
      <p id="move-quote" data-total={quote?.total ?? ''}>
        {quote ? ta('move.newTotal', { total: money(quote.total), before: money(context.total), people: quote.seats }) : ta('common.loading')}
      </p>
      {paid && difference !== null ? <MoneyOutcome difference={difference} increase={increase} onIncrease={setIncrease} /> : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      <p role="status" class="notice" id="move-notice">
        {notice}
      </p>
      <button type="submit" id="move-submit" disabled={busy || quote === null || items.length === 0 || unchanged}>
        {paid ? ta('move.confirmPaid') : ta('move.submit')}
      </button>
    </form>
  );
}
