/**
 * The locker counter (/locker), for front-desk staff. A band tapped on the counter's reader
 * (keyboard wedge) opens the locker chosen in the list ("open for a band": the hub opens it only
 * for the band it is assigned to), else the band's own locker, else claims a free locker of the
 * chosen size and zone for it. Lockers can also be assigned by hand and released.
 *
 *   band ─▶ chosen locker?  ── locker:open {lockerId, band} ──▶ opened | locker.not_yours …
 *           band has one?   ── locker:open ──▶ opened
 *           otherwise       ── locker:claim {band, size, zone, nonce} ──▶ assigned
 *
 * The list follows the `lockers` feed: every locker first, then each change, whoever made it (this
 * counter, another desk, a locker bank, a check-out); after a reconnect the SDK asks again from the
 * feed's cursor, so the list is what is true now without reading it again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { LockerRow } from '../../../../../machines/contract/lockers.js';
import type { ActorState } from '../../../../../machines/contract/wire.js';
import { offlineNonce } from '../../../../devices/offline-gate.js';
import { followFeedRows } from '../../../../sdk/index.js';
import { dateTime } from '../../format.js';
import { api, hub, signedInCall } from '../../session.js';
import { LiveStatus, StaffFrame } from '../staff-app.js';
import { reasonOf, st } from '../staff-messages.js';
import type { StaffKey } from '../staff-messages.js';
import { FrontDeskOnly, StaffWho } from '../staff-sign-in.js';
import { WedgeField } from '../wedge.js';

type Locker = z.infer<typeof LockerRow>;
type Size = 'small' | 'medium' | 'large';
/** What the last action did, kept as words to say (so a language switch re-says it). */
type Outcome = { good: true; key: StaffKey; params: Record<string, string>; lockerId?: string } | { good: false; code: string; message: string; lockerId?: string };

/** A locker of the feed as the counter lists it (its context is stored data: read defensively). */
function lockerOf(row: ActorState): Locker {
  const c = (typeof row.context === 'object' && row.context !== null ? row.context : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const size = c['size'] === 'small' || c['size'] === 'large' ? c['size'] : 'medium';
  const bandUid = text(c['bandUid']);
  const bookingId = text(c['bookingId']);
  const since = typeof c['since'] === 'number' ? c['since'] : undefined;
  return { lockerId: row.id, zone: text(c['zone']) ?? '', size, state: row.state, ...(bookingId === undefined ? {} : { bookingId }), ...(bandUid === undefined ? {} : { bandUid }), ...(since === undefined ? {} : { since }) };
}

const byId = (a: Locker, b: Locker) => a.lockerId.localeCompare(b.lockerId, 'en', { numeric: true });

const sizeName = (size: Size): string => st(`locker.${size}` as StaffKey);
const NAMED_STATES: ReadonlySet<string> = new Set(['free', 'assigned', 'out_of_service']);
const stateName = (state: string): string => (NAMED_STATES.has(state) ? st(`locker.state.${state}` as StaffKey) : state);

function OutcomeBox(props: { outcome: Outcome | null }) {
  if (props.outcome === null) return <div role="status" class="sr-only" />;
  return (
    <div role="status" class={`outcome ${props.outcome.good ? 'good' : 'bad'}`} data-outcome={props.outcome.good ? 'good' : 'bad'} data-locker={props.outcome.lockerId}>
      {props.outcome.good ? st(props.outcome.key, props.outcome.params) : `${st('locker.refused')}: ${reasonOf(props.outcome.code, props.outcome.message)}`}
    </div>
  );
}

function LockerCounter() {
  const [lockers, setLockers] = useState<Locker[] | null>(null);
  const [error, setError] = useState('');
  const [size, setSize] = useState<Size>('medium');
  const [zone, setZone] = useState('');
  const [filter, setFilter] = useState<'all' | 'assigned' | 'free'>('assigned');
  const [openFor, setOpenFor] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [manual, setManual] = useState({ lockerId: '', band: '' });

  useEffect(() => {
    const feed = followFeedRows(hub(), { feed: 'lockers', limit: 500 }, { list: 'lockers' }, (rows) => setLockers([...rows.values()].map(lockerOf).sort(byId)));
    void feed.ready.then((answer) => setError(answer.ok ? '' : reasonOf(answer.code, answer.message)));
    return () => feed.stop();
  }, []);

  const zones = [...new Set((lockers ?? []).map((l) => l.zone))].sort();
  const chosenZone = zone || zones[0] || '';

  async function open(lockerId: string, band: string): Promise<void> {
    const answer = await hub().call('locker:open', { lockerId, band });
    setOutcome(answer.ok ? { good: true, key: 'locker.opened', params: { locker: lockerId }, lockerId } : { good: false, code: answer.code, message: answer.message, lockerId });
  }

  async function onBand(band: string): Promise<void> {
    const chosen = openFor;
    setOpenFor(null);
    if (chosen !== null) return open(chosen, band);
    const own = lockers?.find((l) => l.bandUid === band && l.state === 'assigned');
    if (own) return open(own.lockerId, band);
    const answer = await hub().call('locker:claim', { band, size, zone: chosenZone, nonce: offlineNonce() });
    if (answer.ok) setOutcome({ good: true, key: 'locker.assigned', params: { locker: answer.data.id, band }, lockerId: answer.data.id });
    else setOutcome({ good: false, code: answer.code, message: answer.message });
  }

  async function assign(event: Event): Promise<void> {
    event.preventDefault();
    const lockerId = manual.lockerId.trim();
    const band = manual.band.trim();
    const answer = await signedInCall((token) => api.request('POST', `/api/admin/lockers/${encodeURIComponent(lockerId)}/assign`, { body: { band }, token }));
    if (answer.ok) {
      setOutcome({ good: true, key: 'locker.assigned', params: { locker: lockerId, band }, lockerId });
      setManual({ lockerId: '', band: '' });
    } else setOutcome({ good: false, code: answer.code, message: answer.message, lockerId });
  }

  async function release(lockerId: string): Promise<void> {
    const answer = await signedInCall((token) => api.request('POST', `/api/admin/lockers/${encodeURIComponent(lockerId)}/release`, { token }));
    setOutcome(answer.ok ? { good: true, key: 'locker.released', params: { locker: lockerId }, lockerId } : { good: false, code: answer.code, message: answer.message, lockerId });
  }

  const shown = (lockers ?? []).filter((l) => filter === 'all' || l.state === filter);
  return (
    <>
      {openFor !== null ? (
        <p class="pending-open" role="status" data-open-for={openFor}>
          {st('locker.openFor', { locker: openFor })}{' '}
          <button type="button" class="quiet small" onClick={() => setOpenFor(null)}>
            {st('locker.cancelOpen')}
          </button>
        </p>
      ) : null}
      <WedgeField id="locker-reader" label={st('locker.tap')} hint={st('locker.tapHint')} onRead={(band) => void onBand(band)} autoFocus />
      <div class="row">
        <fieldset class="choice">
          <legend>{st('locker.size')}</legend>
          {(['small', 'medium', 'large'] as const).map((value) => (
            <label key={value} class={`chip ${size === value ? 'chosen' : ''}`}>
              <input type="radio" name="size" value={value} checked={size === value} onChange={() => setSize(value)} />
              {sizeName(value)}
            </label>
          ))}
        </fieldset>
        <label for="locker-zone">{st('locker.zone')}</label>
        <select id="locker-zone" value={chosenZone} onChange={(event) => setZone((event.target as HTMLSelectElement).value)}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <OutcomeBox outcome={outcome} />
      <form id="locker-assign" class="panel" onSubmit={(event) => void assign(event)}>
        <h2>{st('locker.assignTitle')}</h2>
        <div class="row">
          <div>
            <label for="assign-locker">{st('locker.assignLocker')}</label>
            <input id="assign-locker" type="text" list="free-lockers" autocomplete="off" required value={manual.lockerId} onInput={(event) => setManual({ ...manual, lockerId: (event.target as HTMLInputElement).value })} />
            <datalist id="free-lockers">
              {(lockers ?? [])
                .filter((l) => l.state === 'free')
                .map((l) => (
                  <option key={l.lockerId} value={l.lockerId} />
                ))}
            </datalist>
          </div>
          <div>
            <label for="assign-band">{st('locker.assignBand')}</label>
            <input id="assign-band" type="text" autocomplete="off" required value={manual.band} onInput={(event) => setManual({ ...manual, band: (event.target as HTMLInputElement).value })} />
          </div>
          <button type="submit">{st('locker.assign')}</button>
        </div>
      </form>
      <h2>{st('locker.list')}</h2>
      <fieldset class="choice">
        <legend>{st('locker.filter')}</legend>
        {(['assigned', 'free', 'all'] as const).map((value) => (
          <label key={value} class={`chip ${filter === value ? 'chosen' : ''}`}>
            <input type="radio" name="filter" value={value} checked={filter === value} onChange={() => setFilter(value)} />
            {st(value === 'assigned' ? 'locker.inUse' : value === 'free' ? 'locker.free' : 'locker.all')}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {lockers === null ? null : (
        <table class="lockers">
          <thead>
            <tr>
              <th scope="col">{st('locker.id')}</th>
              <th scope="col">{st('locker.zone')}</th>
              <th scope="col">{st('locker.state')}</th>
              <th scope="col">{st('locker.band')}</th>
              <th scope="col">{st('locker.since')}</th>
              <th scope="col">{st('locker.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr key={l.lockerId} data-locker={l.lockerId} data-state={l.state}>
                <th scope="row">{l.lockerId}</th>
                <td>
                  {l.zone} · {sizeName(l.size)}
                </td>
                <td>{stateName(l.state)}</td>
                <td>{l.bandUid ?? ''}</td>
                <td>{l.since === undefined ? '' : dateTime(l.since)}</td>
                <td class="row">
                  {l.state === 'assigned' ? (
                    <>
                      <button type="button" class="small" aria-label={`${st('locker.open')}: ${l.lockerId}`} onClick={() => {
                        setOpenFor(l.lockerId);
                        document.getElementById('locker-reader')?.focus();
                      }}>
                        {st('locker.open')}
                      </button>
                      <button type="button" class="small quiet" aria-label={`${st('locker.release')}: ${l.lockerId}`} onClick={() => void release(l.lockerId)}>
                        {st('locker.release')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The locker page. */
export function LockerPage() {
  return (
    <StaffFrame title={st('locker.title')} status={<><LiveStatus /><StaffWho /></>}>
      <FrontDeskOnly>{() => <LockerCounter />}</FrontDeskOnly>
    </StaffFrame>
  );
}
