/**
 * The review queue: bookings under review from the `reviews` feed (snapshot, then every booking
 * that joins or leaves it), each with what the reviewer checks beside it (who, the tickets that
 * need approval, the party against the places left in the slot), approved or rejected with a reason.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext } from '../../../../machines/booking.schemas.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { CatalogSlot } from '../../../sdk/index.js';
import { activities, loadCatalog, ticketTypeName } from '../catalog.js';
import { dateTime, money } from '../format.js';
import { hub } from '../session.js';
import { can } from './access.js';
import { AdminLink } from './link.js';
import { ta } from './messages.js';
import { slotLevel, slotName } from './slots.js';

function needsApproval(ticketTypeId: string): boolean {
  for (const activity of activities.value ?? []) {
    const found = activity.ticketTypes.find((type) => type.ticketTypeId === ticketTypeId);
    if (found) return found.requiresApproval;
  }
  return false;
}

function ReviewCard(props: { row: ActorState; onDone: (message: string) => void }) {
  const { row } = props;
  const context = row.context as BookingContext;
  const [slot, setSlot] = useState<CatalogSlot | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => void slotLevel(context.slotId).then(setSlot), [context.slotId, row.version]);
  const people = context.quantity;
  const mayDecide = can('booking.approve');

  async function decide(event: { type: 'booking.approve' } | { type: 'booking.reject'; reason: string }) {
    setBusy(true);
    setError('');
    const answer = await hub().command('booking', row.id, event, { commandId: `${event.type}-${row.id}-${row.version}` });
    setBusy(false);
    if (!answer.ok) return setError(answer.message);
    props.onDone(ta(event.type === 'booking.approve' ? 'reviews.approved' : 'reviews.rejected', { booking: row.id }));
  }

  return (
    <li class="panel review" data-booking={row.id}>
      <h2>
        <AdminLink href={`/admin/bookings/${encodeURIComponent(row.id)}`}>{slotName(context.slotId)}</AdminLink>
      </h2>
      <dl class="facts">
        <dt>{ta('reviews.holder')}</dt>
        <dd>
          {context.holder?.name ?? context.visitorId}
          {context.holder?.email ? <span dir="ltr"> · {context.holder.email}</span> : null}
          {context.holder?.phone ? <span dir="ltr"> · {context.holder.phone}</span> : null}
        </dd>
        <dt>{ta('reviews.requirements')}</dt>
        <dd>
          <ul>
            {context.lines.map((line) => (
              <li key={line.ticketTypeId}>
                {line.qty} × {ticketTypeName(line.ticketTypeId)}
                {needsApproval(line.ticketTypeId) ? <strong class="flag"> · {ta('reviews.needsApproval')}</strong> : null}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{ta('reviews.party')}</dt>
        <dd>{ta('reviews.people', { count: people })}</dd>
        <dt>{ta('reviews.capacity')}</dt>
        <dd class="capacity" data-remaining={slot?.remaining ?? ''}>
          {slot ? ta('reviews.placesLeft', { left: slot.remaining, capacity: slot.capacity }) : '—'}
        </dd>
        <dt>{ta('reviews.total')}</dt>
        <dd>{money(context.total)}</dd>
      </dl>
      {row.deadline ? <p class="muted">{ta('reviews.deadline', { time: dateTime(row.deadline) })}</p> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {mayDecide && !rejecting ? (
        <div class="row">
          <button type="button" class="approve" disabled={busy} onClick={() => void decide({ type: 'booking.approve' })}>
            {ta('reviews.approve')}
          </button>
          <button type="button" class="danger reject" disabled={busy} onClick={() => setRejecting(true)}>
            {ta('reviews.reject')}
          </button>
        </div>
      ) : null}
      {mayDecide && rejecting ? (
        <form
          class="reject-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim() !== '') void decide({ type: 'booking.reject', reason: reason.trim() });
          }}
        >
          <label for={`reason-${row.id}`}>{ta('reviews.reason')}</label>
          <input id={`reason-${row.id}`} type="text" required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <div class="row">
            <button type="submit" class="danger" disabled={busy}>
              {ta('reviews.confirmReject')}
            </button>
            <button type="button" class="quiet" onClick={() => setRejecting(false)}>
              {ta('reviews.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}

export function ReviewsPage() {
  const [rows, setRows] = useState<ActorState[] | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    void loadCatalog();
    const subscription = hub().subscribeFeed(
      { feed: 'reviews', limit: 200 },
      (change) => {
        setRows((current) => {
          const others = (current ?? []).filter((row) => row.id !== change.change.id);
          return change.member === false || change.change.state !== 'under_review' ? others : [change.change, ...others];
        });
      },
      (snapshot) => setRows(snapshot.rows),
    );
    void subscription.ready.then((answer) => {
      if (!answer.ok) setError(answer.message);
    });
    return () => void subscription.unsubscribe();
  }, []);
  return (
    <section id="reviews">
      <h1>{ta('reviews.title')}</h1>
      <p role="status" class="notice" id="review-notice">
        {notice}
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null && !error ? <p>{ta('common.loading')}</p> : null}
      {rows !== null && rows.length === 0 ? <p class="muted">{ta('reviews.empty')}</p> : null}
      <ul class="reviews" role="list">
        {(rows ?? []).map((row) => (
          <ReviewCard key={row.id} row={row} onDone={setNotice} />
        ))}
      </ul>
    </section>
  );
}
