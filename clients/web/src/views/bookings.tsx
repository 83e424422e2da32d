/** The signed-in visitor's bookings, newest first (the bookings read model lists only their own), live. */
import { useEffect, useState } from 'preact/hooks';
import type { BookingContext } from '../../../../machines/booking.schemas.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import { Link } from '../app.js';
import { loadCatalog } from '../catalog.js';
import { money } from '../format.js';
import type { MessageKey } from '../messages.js';
import { t } from '../i18n.js';
import { refusalText } from '../refusals.js';
import { account, hasSession, hub } from '../session.js';
import { slotLabel } from './booking.js';
import { SignInPanel } from './sign-in.js';

export function BookingsPage() {
  useEffect(() => void loadCatalog(), []);
  const [rows, setRows] = useState<ActorState[] | null>(null);
  const [error, setError] = useState('');
  const signedIn = account.value !== null || hasSession();
  // The list from the read model, then each booking followed live (a payment or an approval shows at once).
  useEffect(() => {
    if (!signedIn) return;
    let stopped = false;
    const follows: Array<{ unsubscribe(): Promise<void> }> = [];
    void hub()
      .listPage({ list: 'bookings', limit: 50 })
      .then((answer) => {
        if (stopped) return;
        if (!answer.ok) return setError(refusalText(answer));
        setRows(answer.data.rows);
        for (const row of answer.data.rows) {
          follows.push(hub().subscribeActor({ kind: 'booking', id: row.id }, (state) => setRows((current) => current?.map((r) => (r.id === state.id ? state : r)) ?? current)));
        }
      });
    return () => {
      stopped = true;
      for (const follow of follows) void follow.unsubscribe();
    };
  }, [signedIn]);
  if (!signedIn) {
    return (
      <section>
        <h1>{t('bookings.title')}</h1>
        <SignInPanel initialMode="returning" onSignedIn={() => {}} />
      </section>
    );
  }
  return (
    <section>
      <h1>{t('bookings.title')}</h1>
      {error ? <p class="error">{error}</p> : null}
      {rows === null && !error ? <p>{t('common.loading')}</p> : null}
      {rows !== null && rows.length === 0 ? <p>{t('bookings.none')}</p> : null}
      <ul class="cards" role="list">
        {(rows ?? []).map((row) => {
          const context = row.context as BookingContext;
          const when = slotLabel(context.slotId);
          return (
            <li class="card" key={row.id} data-booking={row.id}>
              <p>
                <span class="state" data-state={row.state}>
                  {t(`state.${row.state}` as MessageKey)}
                </span>
              </p>
              <p>{when}</p>
              <p class="price">{money(context.total)}</p>
              {context.refundedAmount > 0 ? <p class="hint refunded">{t('booking.refunded', { amount: money(context.refundedAmount) })}</p> : null}
              <Link href={`/bookings/${encodeURIComponent(row.id)}`} class="button" aria-label={t('bookings.open', { when })}>
                {t('booking.title')}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
