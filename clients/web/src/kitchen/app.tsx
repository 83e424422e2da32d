/**
 * `/kitchen`: a kitchen display for a landscape 1080p screen, dark, in big type. A station board
 * (`?station=grill`, or the station its device token is pinned to) shows that station's tickets
 * oldest first with their age (amber past the prep time, red past half as long again), its bump
 * and recall, and the all-day counts; the expo (no station) shows whole orders and hands ready ones
 * over. Keyboard bump bar: 1–9 bump the n-th ticket (expo: hand over the n-th ready order), R
 * recalls this board's last bump.
 *
 *   token (#token=… once, then kept on this device; or the kitchen staff's own session)
 *     ─▶ socket ─▶ feed:subscribe kitchen[:station] ─▶ rows from the snapshot, then feed:changed
 *   reconnect ─▶ the SDK asks again from its cursor (or takes a fresh snapshot) ─▶ the same queue
 */
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { connectHub } from '../../../sdk/index.js';
import type { HubClient } from '../../../sdk/index.js';
import type { ActorState, FeedChanged } from '../../../../machines/contract/wire.js';
import { lang, setLang } from '../i18n.js';
import { accessToken, hasSession } from '../session.js';
import { ageTone, allDayCounts, applyChange, choiceLabel, dishName, expoOrders, formatAge, stationOfToken, stationTickets } from './board.js';
import type { ExpoCard, TicketCard } from './board.js';
import { k } from './text.js';
import './kitchen.css';

const TOKEN_KEY = 'vh.kitchen.token';

const rows = signal(new Map<string, ActorState>());
const live = signal(false);
const now = signal(Date.now());
const notice = signal<string | null>(null);
/** This board's bumps, newest last: R takes the last one back. */
const bumps: Array<{ orderId: string; station: string }> = [];

/** The board's token: a device token handed over once in the URL fragment, kept on this device. */
function boardToken(): string | null {
  const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fragment) {
    localStorage.setItem(TOKEN_KEY, fragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(TOKEN_KEY);
}

/** The station this board shows: its token's pin, else `?station=`; none is the expo. */
function boardStation(token: string | null): string | undefined {
  const pinned = token === null ? undefined : stationOfToken(token);
  return pinned ?? (new URLSearchParams(location.search).get('station') || undefined);
}

function say(message: string): void {
  notice.value = message;
  setTimeout(() => {
    if (notice.value === message) notice.value = null;
  }, 4_000);
}

function Ticket(props: { card: TicketCard; index: number; onBump: () => void }) {
  const { card } = props;
  const age = now.value - card.firedAt;
  return (
    <li class={`ticket tone-${ageTone(age, card.targetMs)} stage-${card.stage}`} data-order={card.orderId} data-stage={card.stage}>
      <header>
        <span class="key" aria-hidden="true">{props.index + 1}</span>
        <strong class="ref">#{card.ref}</strong>
        <span class="age" aria-label="age">{formatAge(age)}</span>
      </header>
      <ul class="lines">
        {card.lines.map((line) => (
          <li key={line.lineId}>
            <span class="qty">{line.qty}×</span> {dishName(line, lang.value)}
            {line.modifiers.length > 0 ? <span class="mods"> · {line.modifiers.map((m) => choiceLabel(m, lang.value)).join(lang.value === 'ar' ? '، ' : ', ')}</span> : null}
            {line.note ? <em class="note"> “{line.note}”</em> : null}
          </li>
        ))}
      </ul>
      <button type="button" class="bump" onClick={props.onBump}>
        {card.stage === 'queued' ? k('start') : k('finish')} <span class="stage">({k(card.stage)})</span>
      </button>
    </li>
  );
}

function ExpoOrder(props: { card: ExpoCard; index: number | null; onHandOver: () => void }) {
  const { card } = props;
  const age = now.value - card.firedAt;
  return (
    <li class={`ticket tone-${card.state === 'ready' ? 'ok' : ageTone(age, card.targetMs)} state-${card.state}`} data-order={card.orderId} data-state={card.state}>
      <header>
        {props.index === null ? null : <span class="key" aria-hidden="true">{props.index + 1}</span>}
        <strong class="ref">#{card.ref}</strong>
        <span class="age">{formatAge(age)}</span>
      </header>
      <p class="stations">
        {card.tickets.map((t) => (
          <span key={t.station} class={`chip stage-${t.stage}`}>
            {t.station}: {k(t.stage)}
          </span>
        ))}
      </p>
      <ul class="lines">
        {card.lines.map((line) => (
          <li key={line.lineId}>
            <span class="qty">{line.qty}×</span> {dishName(line, lang.value)}
          </li>
        ))}
      </ul>
      {card.state === 'ready' ? (
        <button type="button" class="bump" onClick={props.onHandOver}>
          {k('handOver')}
        </button>
      ) : (
        <p class="status">{k('preparing')}</p>
      )}
    </li>
  );
}

function Connect() {
  return (
    <form
      class="connect"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const token = String(data.get('token') ?? '').trim();
        const station = String(data.get('station') ?? '').trim();
        if (token) localStorage.setItem(TOKEN_KEY, token);
        location.assign(`/kitchen${station ? `?station=${encodeURIComponent(station)}` : ''}`);
      }}
    >
      <h1>{k('connectTitle')}</h1>
      <p>{k('connectHint')}</p>
      <label for="token">{k('token')}</label>
      <textarea id="token" name="token" rows={4} />
      <label for="station">{k('stationLabel')}</label>
      <input id="station" name="station" type="text" />
      <button type="submit">{k('connect')}</button>
    </form>
  );
}

/** The kitchen display. */
export function KitchenApp() {
  const token = boardToken();
  const usable = token !== null || hasSession();
  const station = boardStation(token);

  useEffect(() => {
    document.body.classList.add('kitchen');
    if (!usable) return;
    const hub: HubClient = connectHub({ url: location.origin, token: token ?? (async () => (await accessToken()) ?? '') });
    hub.onStatus((status) => (live.value = status === 'connected'));
    const feed = hub.subscribeFeed(
      { feed: 'kitchen', ...(station === undefined ? {} : { zone: station }), limit: 500 },
      (change: FeedChanged) => (rows.value = applyChange(rows.value, change)),
      (snapshot) => (rows.value = new Map(snapshot.rows.map((row) => [row.id, row]))),
    );
    void feed.ready.then((answer) => {
      if (!answer.ok) say(`${answer.code}: ${answer.message}`);
    });
    const tick = setInterval(() => (now.value = Date.now()), 1_000);

    const report = (answer: { ok: boolean; code?: string; message?: string }) => {
      if (answer.ok) return;
      say(answer.code === 'kitchen.stale_bump' ? k('stale') : `${k('failed')}: ${answer.code ?? ''}`);
    };
    const bump = async (card: TicketCard) => {
      if (card.stage === 'done') return;
      const answer = await hub.bump({ orderId: card.orderId, station: card.station, stage: card.stage });
      if (answer.ok) bumps.push({ orderId: card.orderId, station: card.station });
      report(answer);
    };
    const recall = async () => {
      const last = bumps.pop();
      if (!last) return;
      const answer = await hub.recall(last);
      if (answer.ok) say(k('recalled'));
      report(answer);
    };
    const handOver = async (card: ExpoCard) => report(await hub.deliverOrder(card.orderId));
    actions.value = { bump, recall, handOver };

    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.key === 'r' || event.key === 'R') {
        event.preventDefault();
        void recall();
        return;
      }
      const n = Number(event.key);
      if (!Number.isInteger(n) || n < 1 || n > 9) return;
      event.preventDefault();
      if (station === undefined) {
        const ready = expoOrders(rows.value.values()).filter((c) => c.state === 'ready');
        const card = ready[n - 1];
        if (card) void handOver(card);
      } else {
        const card = stationTickets(rows.value.values(), station)[n - 1];
        if (card) void bump(card);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearInterval(tick);
      hub.close();
    };
  }, []);

  if (!usable)
    return (
      <main>
        <Connect />
      </main>
    );
  const title = station === undefined ? k('expo') : `${k('station')}: ${station}`;
  return (
    <main class="kds" data-station={station ?? 'expo'}>
      <header class="kds-top">
        <h1>
          {k('title')} · {title}
        </h1>
        <span class={`live ${live.value ? 'on' : 'off'}`} role="status">
          {live.value ? k('online') : k('offline')}
        </span>
        <span class="keys">{station === undefined ? k('keysExpo') : k('keys')}</span>
        <button type="button" class="lang" onClick={() => setLang(lang.value === 'ar' ? 'en' : 'ar')}>
          {lang.value === 'ar' ? 'English' : 'العربية'}
        </button>
        {localStorage.getItem(TOKEN_KEY) === null ? null : (
          <button type="button" class="forget" onClick={() => (localStorage.removeItem(TOKEN_KEY), location.assign('/kitchen'))}>
            {k('disconnect')}
          </button>
        )}
      </header>
      {notice.value === null ? null : (
        <p class="notice" role="alert">
          {notice.value}
        </p>
      )}
      {station === undefined ? <ExpoBoard /> : <StationBoard station={station} />}
    </main>
  );
}

/** The board's actions, set once the socket is open. */
const actions = signal<{ bump(card: TicketCard): Promise<void>; recall(): Promise<void>; handOver(card: ExpoCard): Promise<void> } | null>(null);

function StationBoard(props: { station: string }) {
  const tickets = stationTickets(rows.value.values(), props.station);
  const counts = allDayCounts(tickets, lang.value);
  return (
    <div class="station-board">
      <section class="queue" aria-label={k('queue')}>
        {tickets.length === 0 ? <p class="empty">{k('nothing')}</p> : null}
        <ol class="tickets">
          {tickets.map((card, i) => (
            <Ticket key={card.orderId} card={card} index={i} onBump={() => void actions.value?.bump(card)} />
          ))}
        </ol>
      </section>
      <aside class="all-day" aria-label={k('allDay')}>
        <h2>{k('allDay')}</h2>
        <ul>
          {counts.map((c) => (
            <li key={c.itemId}>
              <span class="qty">{c.qty}</span> {c.name}
            </li>
          ))}
        </ul>
        <button type="button" class="recall" onClick={() => void actions.value?.recall()}>
          {k('recall')} (R)
        </button>
      </aside>
    </div>
  );
}

function ExpoBoard() {
  const orders = expoOrders(rows.value.values());
  let readyIndex = 0;
  return (
    <section class="queue" aria-label={k('queue')}>
      {orders.length === 0 ? <p class="empty">{k('nothingExpo')}</p> : null}
      <ol class="tickets">
        {orders.map((card) => (
          <ExpoOrder key={card.orderId} card={card} index={card.state === 'ready' ? readyIndex++ : null} onHandOver={() => void actions.value?.handOver(card)} />
        ))}
      </ol>
    </section>
  );
}
