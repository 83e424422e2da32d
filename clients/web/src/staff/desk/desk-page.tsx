/**
 * The rental desk (/desk), for front-desk staff: hand an item out against the visitor's tapped
 * band (keyboard-wedge reader), take items back in good condition or damaged, and see what is out
 * and what is overdue (the equipment read model), with each type's counts.
 *
 *   band ─▶ rental:pickup {band, typeId, itemId?, nonce} ─▶ the item, due back at …
 *   item ─▶ rental:return {itemId, condition, note?} ─▶ available | maintenance
 *
 * The lists follow the `rentals` feed (the items out: snapshot, then each pickup, overdue and
 * return, whichever desk made it) and the counts follow `equipment:subscribe`; after a reconnect
 * the SDK asks again from the feed's cursor and reads the counts again, so nothing is polled.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActorState, EquipmentAvailability } from '../../../../../machines/contract/wire.js';
import { offlineNonce } from '../../../../devices/offline-gate.js';
import { followFeedRows } from '../../../../sdk/index.js';
import { addOnName, addOns } from '../../catalog.js';
import { timeOfDay } from '../../format.js';
import { hub } from '../../session.js';
import { LiveStatus, StaffFrame } from '../staff-app.js';
import { reasonOf, st } from '../staff-messages.js';
import type { StaffKey } from '../staff-messages.js';
import { FrontDeskOnly, StaffWho } from '../staff-sign-in.js';
import { WedgeField } from '../wedge.js';

interface ItemContext {
  itemId: string;
  typeId: string;
  bandUid?: string;
  bookingId?: string;
  dueAt?: number;
  overdue?: boolean;
}
type Outcome = { good: true; key: StaffKey; params: Record<string, string>; itemId: string } | { good: false; code: string; message: string; itemId?: string };

const itemOf = (row: ActorState): ItemContext => row.context as unknown as ItemContext;
/** Due back last first (the latest pickups), as the equipment list orders them. */
const byDue = (a: ActorState, b: ActorState) => (itemOf(b).dueAt ?? 0) - (itemOf(a).dueAt ?? 0) || a.id.localeCompare(b.id);

/** Parameters in the current language: a return's condition is kept as `ok` / `damaged`. */
function wordsOf(params: Record<string, string>): Record<string, string> {
  const condition = params['condition'];
  return condition === undefined ? params : { ...params, condition: st(condition === 'ok' ? 'desk.ok' : 'desk.damaged') };
}

function OutcomeBox(props: { outcome: Outcome | null }) {
  const o = props.outcome;
  if (o === null) return <div role="status" class="sr-only" />;
  return (
    <div role="status" class={`outcome ${o.good ? 'good' : 'bad'}`} data-outcome={o.good ? 'good' : 'bad'} data-item={o.itemId}>
      {o.good ? st(o.key, wordsOf(o.params)) : `${st('locker.refused')}: ${reasonOf(o.code, o.message)}`}
    </div>
  );
}

function ItemTable(props: { rows: ActorState[]; id: string; onReturn: (itemId: string) => void }) {
  return (
    <table id={props.id}>
      <thead>
        <tr>
          <th scope="col">{st('desk.returnItem')}</th>
          <th scope="col">{st('desk.type')}</th>
          <th scope="col">{st('locker.band')}</th>
          <th scope="col">{st('desk.due')}</th>
          <th scope="col">{st('locker.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const item = itemOf(row);
          return (
            <tr key={row.id} data-item={item.itemId} data-overdue={String(item.overdue === true)}>
              <th scope="row">{item.itemId}</th>
              <td>{addOnName(item.typeId)}</td>
              <td>{item.bandUid ?? ''}</td>
              <td>{item.dueAt === undefined ? '' : timeOfDay(item.dueAt)}</td>
              <td>
                <button type="button" class="small quiet" onClick={() => props.onReturn(item.itemId)}>
                  {st('desk.returnThis', { item: item.itemId })}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RentalDesk() {
  const types = addOns.value.filter((addOn) => addOn.kind === 'equipment').map((addOn) => addOn.addOnId);
  const [typeId, setTypeId] = useState('');
  const [itemId, setItemId] = useState('');
  const [back, setBack] = useState({ itemId: '', condition: 'ok' as 'ok' | 'damaged', note: '' });
  const [out, setOut] = useState<ActorState[]>([]);
  const [levels, setLevels] = useState<ReadonlyMap<string, EquipmentAvailability>>(new Map());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState('');
  const chosenType = typeId || types[0] || '';

  useEffect(() => {
    const feed = followFeedRows(hub(), { feed: 'rentals', limit: 500 }, { list: 'equipment', filters: { state: 'in_use' } }, (rows) => setOut([...rows.values()].sort(byDue)));
    void feed.ready.then((answer) => setError(answer.ok ? '' : reasonOf(answer.code, answer.message)));
    return () => feed.stop();
  }, []);
  useEffect(() => {
    if (types.length === 0) return;
    const counts = hub().watchEquipment(types, (level) => setLevels((known) => new Map(known).set(level.typeId, level)));
    return () => counts.unsubscribe();
  }, [types.join(',')]);

  async function pickup(band: string): Promise<void> {
    if (chosenType === '') return;
    const answer = await hub().call('rental:pickup', { band, typeId: chosenType, ...(itemId.trim() === '' ? {} : { itemId: itemId.trim() }), nonce: offlineNonce() });
    if (answer.ok) {
      const item = itemOf(answer.data);
      setOutcome({ good: true, key: 'desk.handedOut', params: { item: item.itemId, band, time: item.dueAt === undefined ? '' : timeOfDay(item.dueAt) }, itemId: item.itemId });
      setItemId('');
    } else setOutcome({ good: false, code: answer.code, message: answer.message });
  }

  async function takeBack(returned: string, condition: 'ok' | 'damaged', note: string): Promise<void> {
    const answer = await hub().call('rental:return', { itemId: returned, condition, ...(note.trim() === '' ? {} : { note: note.trim() }) });
    if (answer.ok) {
      setOutcome({ good: true, key: 'desk.returned', params: { item: returned, condition }, itemId: returned });
      setBack({ itemId: '', condition: 'ok', note: '' });
    } else setOutcome({ good: false, code: answer.code, message: answer.message, itemId: returned });
  }

  const overdue = out.filter((row) => itemOf(row).overdue === true);
  return (
    <>
      <section class="panel" aria-labelledby="desk-pickup">
        <h2 id="desk-pickup">{st('desk.pickup')}</h2>
        <div class="row">
          <div>
            <label for="desk-type">{st('desk.type')}</label>
            <select id="desk-type" value={chosenType} onChange={(event) => setTypeId((event.target as HTMLSelectElement).value)}>
              {types.map((type) => (
                <option key={type} value={type}>
                  {addOnName(type)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="desk-item">{st('desk.item')}</label>
            <input id="desk-item" type="text" autocomplete="off" value={itemId} onInput={(event) => setItemId((event.target as HTMLInputElement).value)} />
          </div>
        </div>
        <WedgeField id="desk-band" label={st('desk.band')} hint={st('desk.bandHint')} onRead={(band) => void pickup(band)} autoFocus />
        <ul class="levels">
          {types.flatMap((type) => levels.get(type) ?? []).map((level) => (
            <li key={level.typeId} data-type={level.typeId} data-available={level.available}>
              {addOnName(level.typeId)}: {st('desk.available', { available: level.available, total: level.total })}
            </li>
          ))}
        </ul>
      </section>
      <OutcomeBox outcome={outcome} />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <form
        id="desk-return"
        class="panel"
        aria-labelledby="desk-return-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (back.itemId.trim() !== '') void takeBack(back.itemId.trim(), back.condition, back.note);
        }}
      >
        <h2 id="desk-return-title">{st('desk.return')}</h2>
        <div class="row">
          <div>
            <label for="return-item">{st('desk.returnItem')}</label>
            <input id="return-item" type="text" autocomplete="off" required value={back.itemId} onInput={(event) => setBack({ ...back, itemId: (event.target as HTMLInputElement).value })} />
          </div>
          <fieldset class="choice">
            <legend>{st('desk.condition')}</legend>
            {(['ok', 'damaged'] as const).map((value) => (
              <label key={value} class={`chip ${back.condition === value ? 'chosen' : ''}`}>
                <input type="radio" name="condition" value={value} checked={back.condition === value} onChange={() => setBack({ ...back, condition: value })} />
                {st(value === 'ok' ? 'desk.ok' : 'desk.damaged')}
              </label>
            ))}
          </fieldset>
        </div>
        {back.condition === 'damaged' ? (
          <>
            <label for="return-note">{st('desk.note')}</label>
            <input id="return-note" type="text" autocomplete="off" value={back.note} onInput={(event) => setBack({ ...back, note: (event.target as HTMLInputElement).value })} />
          </>
        ) : null}
        <button type="submit">{st('desk.takeBack')}</button>
      </form>
      <h2 id="desk-overdue">{st('desk.overdue')}</h2>
      {overdue.length === 0 ? <p>{st('desk.noneOverdue')}</p> : <ItemTable id="overdue-items" rows={overdue} onReturn={(returned) => setBack({ itemId: returned, condition: 'ok', note: '' })} />}
      <h2 id="desk-out">{st('desk.out')}</h2>
      {out.length === 0 ? <p>{st('desk.noneOut')}</p> : <ItemTable id="out-items" rows={out} onReturn={(returned) => setBack({ itemId: returned, condition: 'ok', note: '' })} />}
    </>
  );
}

/** The rental desk page. */
export function DeskPage() {
  return (
    <StaffFrame title={st('desk.title')} status={<><LiveStatus /><StaffWho /></>}>
      <FrontDeskOnly>{() => <RentalDesk />}</FrontDeskOnly>
    </StaffFrame>
  );
}
