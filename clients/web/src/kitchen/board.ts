/**
 * What a kitchen board shows, from the kitchen feed's rows (food orders in the kitchen): pure
 * functions, so the page only renders.
 *
 *   rows ─▶ stationTickets(rows, station)  the station's tickets not done yet, oldest fired first
 *        ─▶ expoOrders(rows)               whole orders, ready ones first to hand over
 *        ─▶ allDayCounts(tickets, lang)    how many of each item are still to make, named in the board's language
 *   dishName / choiceLabel                 a line and its choices in the board's language (the names the order kept)
 *   ageTone(age, target)                   ok → amber past the prep time → red past half as long again
 */
import type { ActorState, FeedChanged } from '../../../../machines/contract/wire.js';
import type { FoodLine, StationTicket } from '../../../../machines/food-order.schemas.js';

/** What the board reads of an order's context. */
interface OrderFacts {
  orderId: string;
  bookingId?: string;
  lines: FoodLine[];
  tickets: StationTicket[];
  firedAt?: number;
  placedAt: number;
  pickupPoint: string;
}

/** One station's ticket of an order, as its board shows it. */
export interface TicketCard {
  orderId: string;
  /** A short reference cooks call out: the last characters of the booking (or order). */
  ref: string;
  station: string;
  stage: StationTicket['stage'];
  lines: FoodLine[];
  firedAt: number;
  /** The longest prep time of the ticket's lines, ms. */
  targetMs: number;
}

/** A whole order, as the expo shows it. */
export interface ExpoCard {
  orderId: string;
  ref: string;
  state: string;
  firedAt: number;
  targetMs: number;
  tickets: Array<{ station: string; stage: StationTicket['stage'] }>;
  lines: FoodLine[];
}

function factsOf(row: ActorState): OrderFacts | null {
  const c = row.context as Partial<OrderFacts> | null;
  if (!c || !Array.isArray(c.lines) || !Array.isArray(c.tickets) || typeof c.placedAt !== 'number') return null;
  return c as OrderFacts;
}

/** The reference cooks and visitors read: the last five characters of the booking or order id. */
export function refOf(orderId: string, bookingId?: string): string {
  const base = (bookingId ?? orderId.replace(/-food$/, '')).replace(/[^A-Za-z0-9]/g, '');
  return base.slice(-5).toUpperCase();
}

/** The station's tickets still to make (queued or cooking), oldest first. */
export function stationTickets(rows: Iterable<ActorState>, station: string): TicketCard[] {
  const cards: TicketCard[] = [];
  for (const row of rows) {
    const order = factsOf(row);
    if (!order || row.state !== 'preparing') continue;
    const ticket = order.tickets.find((t) => t.station === station);
    if (!ticket || ticket.stage === 'done') continue;
    const lines = order.lines.filter((l) => ticket.lineIds.includes(l.lineId));
    cards.push({
      orderId: row.id,
      ref: refOf(row.id, order.bookingId),
      station,
      stage: ticket.stage,
      lines,
      firedAt: order.firedAt ?? order.placedAt,
      targetMs: Math.max(1, ...lines.map((l) => l.prepMinutes)) * 60_000,
    });
  }
  return cards.sort((a, b) => a.firedAt - b.firedAt || a.orderId.localeCompare(b.orderId));
}

/** Whole orders in the kitchen: ready ones first (to hand over), then by when they were fired. */
export function expoOrders(rows: Iterable<ActorState>): ExpoCard[] {
  const cards: ExpoCard[] = [];
  for (const row of rows) {
    const order = factsOf(row);
    if (!order) continue;
    cards.push({
      orderId: row.id,
      ref: refOf(row.id, order.bookingId),
      state: row.state,
      firedAt: order.firedAt ?? order.placedAt,
      targetMs: Math.max(1, ...order.lines.map((l) => l.prepMinutes)) * 60_000,
      tickets: order.tickets.map(({ station, stage }) => ({ station, stage })),
      lines: order.lines,
    });
  }
  const rank = (c: ExpoCard) => (c.state === 'ready' ? 0 : 1);
  return cards.sort((a, b) => rank(a) - rank(b) || a.firedAt - b.firedAt || a.orderId.localeCompare(b.orderId));
}

/** The language a board shows. */
export type BoardLang = 'en' | 'ar';

/** A line's dish in the board's language: the Arabic name the order kept on an Arabic board, else the English one. */
export function dishName(line: Pick<FoodLine, 'name' | 'nameAr'>, lang: BoardLang): string {
  return lang === 'ar' ? (line.nameAr ?? line.name) : line.name;
}

/** A chosen option in the board's language. */
export function choiceLabel(choice: Pick<FoodLine['modifiers'][number], 'name' | 'nameAr'>, lang: BoardLang): string {
  return lang === 'ar' ? (choice.nameAr ?? choice.name) : choice.name;
}

/** How many of each item the tickets still ask for (the board's all-day counts), by item, named in the board's language, most first. */
export function allDayCounts(tickets: readonly TicketCard[], lang: BoardLang = 'en'): Array<{ itemId: string; name: string; qty: number }> {
  const counts = new Map<string, { itemId: string; name: string; qty: number }>();
  for (const ticket of tickets) {
    for (const line of ticket.lines) {
      const count = counts.get(line.itemId) ?? { itemId: line.itemId, name: dishName(line, lang), qty: 0 };
      count.qty += line.qty;
      counts.set(line.itemId, count);
    }
  }
  return [...counts.values()].sort((a, b) => b.qty - a.qty || a.name.localeCompare(b.name, lang));
}

/** A ticket's colour by its age: amber once past its prep time, red once past half as long again. */
export function ageTone(ageMs: number, targetMs: number): 'ok' | 'amber' | 'red' {
  if (ageMs >= targetMs * 1.5) return 'red';
  if (ageMs >= targetMs) return 'amber';
  return 'ok';
}

/** `m:ss` of an age (never negative). */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Applies a pushed change to the rows by id (newer versions only); `member: false` removes it. */
export function applyChange(rows: Map<string, ActorState>, change: FeedChanged): Map<string, ActorState> {
  const next = new Map(rows);
  const current = next.get(change.change.id);
  if (current && current.version >= change.change.version) return rows;
  if (change.member === false) next.delete(change.change.id);
  else next.set(change.change.id, change.change);
  return next;
}

/** The station a device token is pinned to (its `device_scope.station`), read without verifying. */
export function stationOfToken(token: string): string | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { device_scope?: { station?: unknown } };
    return typeof claims.device_scope?.station === 'string' ? claims.device_scope.station : undefined;
  } catch {
    return undefined;
  }
}
