/**
 * A booking admin's change of a booking not paid yet: another day and time of the same activity
 * and/or another party, priced by the hub (POST /api/catalog/price) before it is sent
 * (POST /api/admin/bookings/:id/change); the hub moves its places in the slot ledger at once.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext } from '../../../../machines/booking.schemas.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { CatalogSlot, PriceQuote } from '../../../sdk/index.js';
import { activities } from '../catalog.js';
import { money, timeOfDay } from '../format.js';
import { api, signedInCall } from '../session.js';
import { ta } from './messages.js';
import { slotParts, slotsOfDay } from './slots.js';

/** States in which a booking can still be changed (the hub decides again). */
const CHANGEABLE = ['held', 'under_review', 'awaiting_payment'];

export function MoveBooking(props: { booking: ActorState }) {
  const context = props.booking.context as BookingContext;
  const parts = slotParts(context.slotId);
  const activity = activities.value?.find((a) => a.activityId === parts?.activityId);
  const [day, setDay] = useState(parts?.day ?? '');
  const [slots, setSlots] = useState<CatalogSlot[] | null>(null);
  const [slotId, setSlotId] = useState(context.slotId);
  const [qty, setQty] = useState<Record<string, number>>(() => Object.fromEntries(context.lines.map((line) => [line.ticketTypeId, line.qty])));
  const [quote, setQuote] = useState<PriceQuote | null>(null);
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
    const addOns = (context.addOns ?? []).map(({ addOnId, qty: n }) => ({ addOnId, qty: n }));
    void api.price({ slotId, items, addOns }).then((answer) => (answer.ok ? setQuote(answer.data) : setProblem(answer.message)));
  }, [slotId, itemsKey]);

  if (!CHANGEABLE.includes(props.booking.state) || !parts || !activity) return null;

  async function send(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    const answer = await signedInCall((token) => api.request<ActorState>('POST', `/api/admin/bookings/${encodeURIComponent(props.booking.id)}/change`, { token, body: { slotId, items, changeId } }));
    setBusy(false);
    if (!answer.ok) return setProblem(answer.message);
    setNotice(ta('move.done', { total: money((answer.data.context as BookingContext).total) }));
    setChangeId(`change-${crypto.randomUUID()}`);
  }

  return (
    <form class="panel move" id="move-booking" onSubmit={send}>
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
              <label for={`move-qty-${type.ticketTypeId}`}>{type.name}</label>
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
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      <p role="status" class="notice" id="move-notice">
        {notice}
      </p>
      <button type="submit" id="move-submit" disabled={busy || quote === null || items.length === 0}>
        {ta('move.submit')}
      </button>
    </form>
  );
}
