/**
 * Booking one activity: a venue day, a time with its places left (live for signed-in visitors,
 * through the availability feed), tickets and add-ons, and the price the hub computes for exactly
 * that selection. Holding the places creates the booking and opens its page.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CatalogSlot, HubResult, PriceQuote } from '../../../sdk/index.js';
import { Link } from '../app.js';
import { activities, addOnName, addOns, loadCatalog, localized, ticketTypeName } from '../catalog.js';
import { dayLabel, money, timeOfDay, venueDay } from '../format.js';
import { number, t } from '../i18n.js';
import { refusalText } from '../refusals.js';
import { navigate } from '../router.js';
import { account, api, hub } from '../session.js';
import { EMPTY_CART, FoodPicker, foodRequest, FoodSummaryRows } from './food.js';
import type { FoodCart } from './food.js';
import { SignInPanel } from './sign-in.js';

const DAYS_SHOWN = 7;
/** Anonymous visitors have no socket: their places left are re-read this often. */
const ANONYMOUS_REFRESH_MS = 20_000;

/** A fresh booking id (no secure context needed, unlike `crypto.randomUUID`). */
function newBookingId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `bk-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function Stepper(props: { id: string; label: string; value: number; min: number; max: number; onChange: (value: number) => void }) {
  return (
    <div class="stepper">
      <button type="button" class="quiet" aria-label={t('book.decrease', { name: props.label })} disabled={props.value <= props.min} onClick={() => props.onChange(props.value - 1)}>
        −
      </button>
      <input
        id={props.id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        value={props.value}
        aria-label={t('book.quantity', { name: props.label })}
        onInput={(e) => {
          const value = Number(e.currentTarget.value);
          if (Number.isInteger(value)) props.onChange(Math.max(props.min, Math.min(props.max, value)));
        }}
      />
      <button type="button" class="quiet" aria-label={t('book.increase', { name: props.label })} disabled={props.value >= props.max} onClick={() => props.onChange(props.value + 1)}>
        +
      </button>
    </div>
  );
}

export function ActivityPage(props: { activityId: string }) {
  useEffect(() => void loadCatalog(), []);
  const activity = activities.value?.find((a) => a.activityId === props.activityId);
  const [day, setDay] = useState(() => venueDay(0));
  // The slots listed with the day they belong to: another day's slots are never shown under this one.
  const [listed, setListed] = useState<{ day: string; slots: CatalogSlot[] } | null>(null);
  const slots = listed !== null && listed.day === day ? listed.slots : null;
  const [slotId, setSlotId] = useState<string | null>(null);
  const [items, setItems] = useState<Record<string, number>>({});
  const [extras, setExtras] = useState<Record<string, number>>({});
  const [cart, setCart] = useState<FoodCart>(EMPTY_CART);
  const [quote, setQuote] = useState<HubResult<PriceQuote> | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const signedIn = account.value !== null;

  // The day's slots, then their places left: live over the socket when signed in, re-read otherwise.
  useEffect(() => {
    let stopped = false;
    let stopWatch = () => {};
    const read = async () => {
      const answer = await api.slots(props.activityId, day);
      if (stopped) return;
      if (!answer.ok) return setError(refusalText(answer));
      setListed({ day, slots: answer.data.slots });
      return answer.data.slots;
    };
    void read().then((listed) => {
      if (stopped || !listed || listed.length === 0 || !signedIn) return;
      const watch = hub().watchAvailability(
        listed.map((slot) => slot.slotId),
        (level) =>
          setListed((current) =>
            current === null ? current : { ...current, slots: current.slots.map((slot) => (slot.slotId === level.slotId ? { ...slot, remaining: level.remaining, capacity: level.capacity } : slot)) },
          ),
      );
      stopWatch = () => watch.unsubscribe();
    });
    const timer = signedIn ? undefined : setInterval(() => void read(), ANONYMOUS_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      stopWatch();
    };
  }, [props.activityId, day, signedIn]);

  const chosenItems = Object.entries(items)
    .filter(([, qty]) => qty > 0)
    .map(([ticketTypeId, qty]) => ({ ticketTypeId, qty }));
  const chosenExtras = Object.entries(extras)
    .filter(([, qty]) => qty > 0)
    .map(([addOnId, qty]) => ({ addOnId, qty }));
  const food = foodRequest(cart);
  const selectionKey = JSON.stringify([slotId, chosenItems, chosenExtras, food]);

  // The hub prices the selection (the same computation as the hold); nothing is priced here.
  useEffect(() => {
    if (slotId === null || chosenItems.length === 0) return setQuote(null);
    let stale = false;
    void api.price({ slotId, items: chosenItems, addOns: chosenExtras, ...(food === undefined ? {} : { food }) }).then((answer) => {
      if (!stale) setQuote(answer);
    });
    return () => void (stale = true);
  }, [selectionKey]);

  async function hold() {
    if (slotId === null) return;
    setBusy(true);
    setError('');
    const bookingId = newBookingId();
    const answer = await hub().hold({ bookingId, slotId, items: chosenItems, ...(chosenExtras.length > 0 ? { addOns: chosenExtras } : {}), ...(food === undefined ? {} : { food }) });
    setBusy(false);
    if (!answer.ok) return setError(refusalText(answer));
    navigate(`/bookings/${encodeURIComponent(bookingId)}`);
  }

  if (activities.value !== null && !activity) {
    return (
      <p>
        {t('home.none')} <Link href="/">{t('common.back')}</Link>
      </p>
    );
  }
  if (!activity) return <p>{t('common.loading')}</p>;
  const days = Array.from({ length: DAYS_SHOWN }, (_, i) => venueDay(i));
  const priced = quote?.ok ? quote.data : null;

  return (
    <section class="book">
      <p>
        <Link href="/" id="back">
          {t('common.back')}
        </Link>
      </p>
      <h1>{t('book.title', { name: localized(activity).name })}</h1>
      <p>{localized(activity).description}</p>

      <fieldset class="days">
        <legend>{t('book.date')}</legend>
        {days.map((d) => (
          <label class={d === day ? 'chip chosen' : 'chip'} key={d}>
            <input type="radio" name="day" value={d} checked={d === day} onChange={() => (setDay(d), setSlotId(null))} />
            {dayLabel(d)}
          </label>
        ))}
      </fieldset>

      <fieldset class="slots" data-day={slots === null ? undefined : day}>
        <legend>{t('book.slot')}</legend>
        {slots === null ? <p>{t('common.loading')}</p> : null}
        {slots !== null && slots.filter((s) => s.bookable).length === 0 ? <p>{t('book.noSlots')}</p> : null}
        {(slots ?? [])
          .filter((slot) => slot.bookable)
          .map((slot) => (
            <label class={slot.slotId === slotId ? 'slot chosen' : 'slot'} key={slot.slotId} data-slot={slot.slotId}>
              <input type="radio" name="slot" value={slot.slotId} checked={slot.slotId === slotId} disabled={slot.remaining === 0} onChange={() => setSlotId(slot.slotId)} />
              <span class="time">{timeOfDay(slot.startsAt)}</span>
              <span class="left" data-remaining={slot.remaining}>
                {slot.remaining === 0 ? t('book.soldOut') : slot.remaining === 1 ? t('book.onePlaceLeft') : t('book.placesLeft', { count: slot.remaining })}
              </span>
            </label>
          ))}
        {signedIn ? <p class="hint">{t('book.live')}</p> : null}
      </fieldset>

      <fieldset>
        <legend>{t('book.tickets')}</legend>
        {activity.ticketTypes
          .filter((type) => type.active)
          .map((type) => (
            <div class="line" key={type.ticketTypeId} data-ticket-type={type.ticketTypeId}>
              <div>
                <label for={`qty-${type.ticketTypeId}`}>{localized(type).name}</label>
                <div class="hint">{t('book.each', { price: money(type.price) })}</div>
              </div>
              <Stepper id={`qty-${type.ticketTypeId}`} label={localized(type).name} value={items[type.ticketTypeId] ?? 0} min={0} max={type.maxPerBooking} onChange={(qty) => setItems({ ...items, [type.ticketTypeId]: qty })} />
            </div>
          ))}
      </fieldset>

      {addOns.value.length > 0 ? (
        <fieldset>
          <legend>{t('book.addOns')}</legend>
          {addOns.value.map((addOn) => (
            <div class="line" key={addOn.addOnId} data-add-on={addOn.addOnId}>
              <div>
                <label for={`addon-${addOn.addOnId}`}>{localized(addOn).name}</label>
                <div class="hint">{t('book.each', { price: money(addOn.price) })}</div>
              </div>
              <Stepper id={`addon-${addOn.addOnId}`} label={localized(addOn).name} value={extras[addOn.addOnId] ?? 0} min={0} max={20} onChange={(qty) => setExtras({ ...extras, [addOn.addOnId]: qty })} />
            </div>
          ))}
        </fieldset>
      ) : null}

      <FoodPicker cart={cart} onChange={setCart} preOrderFor={(slots ?? []).find((slot) => slot.slotId === slotId) ?? null} />

      <section class="summary panel" aria-labelledby="summary-title" aria-live="polite">
        <h2 id="summary-title">{t('book.summary')}</h2>
        {slotId === null ? <p>{t('book.pickSlot')}</p> : chosenItems.length === 0 ? <p>{t('book.pickTickets')}</p> : null}
        {quote !== null && !quote.ok ? <p class="error">{refusalText(quote)}</p> : null}
        {priced ? (
          <>
            <table>
              <tbody>
                {priced.lines.map((line) => (
                  <tr key={line.ticketTypeId}>
                    <td>
                      {ticketTypeName(line.ticketTypeId)} × {number(line.qty)}
                    </td>
                    <td class="amount">{money(line.unitPrice * line.qty)}</td>
                  </tr>
                ))}
                {priced.addOns.map((line) => (
                  <tr key={line.addOnId}>
                    <td>
                      {addOnName(line.addOnId)} × {number(line.qty)}
                    </td>
                    <td class="amount">{money(line.unitPrice * line.qty)}</td>
                  </tr>
                ))}
                {priced.food ? <FoodSummaryRows lines={priced.food.lines} /> : null}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('book.total')}</th>
                  <td class="amount" id="quote-total">
                    {money(priced.total)}
                  </td>
                </tr>
              </tfoot>
            </table>
            <p class="hint">{t('book.vatIncluded')}</p>
            {priced.requiresApproval ? <p class="note">{t('book.approval')}</p> : null}
          </>
        ) : null}
        {error ? <p class="error" role="alert">{error}</p> : null}
        {priced && signedIn ? (
          <button type="button" id="hold" disabled={busy} onClick={() => void hold()}>
            {t('book.hold')}
          </button>
        ) : null}
      </section>
      {priced && !signedIn ? (
        <section class="panel">
          <p>{t('book.signInFirst')}</p>
          <SignInPanel onSignedIn={() => {}} />
        </section>
      ) : null}
    </section>
  );
}
