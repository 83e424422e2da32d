/**
 * Finance: the transaction log of a venue day with filters, the daily report (gross, refunds and
 * net, by method) and the day's CSV. Both read GET /api/admin/transactions (finance and super
 * admins); the CSV is made here from the same rows, so its totals are the log's.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Transaction } from '../../../sdk/index.js';
import { dateTime, money, venueDay, venueTimeZone } from '../format.js';
import { number } from '../i18n.js';
import { AdminLink } from './link.js';
import { dayCsv, METHODS, totalsOf } from './ledger.js';
import { dayTransactions } from './transactions.js';
import { ta } from './messages.js';

const MOVEMENTS: readonly Transaction['movement'][] = ['payment.pending', 'payment.captured', 'payment.failed', 'refund.requested', 'refund.succeeded', 'refund.failed', 'refund.external'];

/** The day's rows, reloaded when the day changes. */
function useDay(day: string): { rows: Transaction[] | null; error: string; reload: () => void } {
  const [rows, setRows] = useState<Transaction[] | null>(null);
  const [error, setError] = useState('');
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stale = false;
    setRows(null);
    void dayTransactions(day, venueTimeZone.value).then((answer) => {
      if (stale) return;
      if (answer.ok) {
        setError('');
        setRows(answer.rows);
      } else setError(answer.message);
    });
    return () => void (stale = true);
  }, [day, round]);
  return { rows, error, reload: () => setRound((n) => n + 1) };
}

/** Saves the day's CSV through the browser's download. */
function downloadCsv(day: string, rows: readonly Transaction[]): void {
  const blob = new Blob([dayCsv(day, venueTimeZone.value, rows)], { type: 'text/csv;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `transactions-${day}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function DayPicker(props: { day: string; onDay: (day: string) => void }) {
  return (
    <div class="field">
      <label for="report-day">{ta('money.day')}</label>
      <input id="report-day" type="date" dir="ltr" value={props.day} onInput={(e) => e.currentTarget.value && props.onDay(e.currentTarget.value)} />
    </div>
  );
}

export function TransactionsPage() {
  const [day, setDay] = useState(venueDay(0));
  const [movement, setMovement] = useState('');
  const [method, setMethod] = useState('');
  const [bookingId, setBookingId] = useState('');
  const { rows, error, reload } = useDay(day);
  const shown = (rows ?? []).filter((row) => (movement === '' || row.movement === movement) && (method === '' || row.method === method) && (bookingId.trim() === '' || row.bookingId.includes(bookingId.trim())));
  return (
    <section id="transactions">
      <h1>{ta('nav.transactions')}</h1>
      <form class="filters panel" onSubmit={(e) => e.preventDefault()}>
        <DayPicker day={day} onDay={setDay} />
        <div class="field">
          <label for="filter-movement">{ta('money.movement')}</label>
          <select id="filter-movement" value={movement} onChange={(e) => setMovement(e.currentTarget.value)}>
            <option value="">{ta('common.all')}</option>
            {MOVEMENTS.map((m) => (
              <option key={m} value={m}>
                {ta(`movement.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-method">{ta('dash.method')}</label>
          <select id="filter-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            <option value="">{ta('common.all')}</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {ta(`method.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-booking">{ta('money.booking')}</label>
          <input id="filter-booking" type="text" dir="ltr" value={bookingId} onInput={(e) => setBookingId(e.currentTarget.value)} />
        </div>
        <button type="button" class="quiet" onClick={reload}>
          {ta('money.reload')}
        </button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null && !error ? <p>{ta('common.loading')}</p> : null}
      {rows !== null ? (
        <>
          <p class="muted" id="txn-count" data-count={shown.length}>
            {ta('money.count', { count: shown.length })}
          </p>
          <div class="scroll">
            <table class="money" id="txn-table">
              <thead>
                <tr>
                  <th scope="col">{ta('money.at')}</th>
                  <th scope="col">{ta('money.movement')}</th>
                  <th scope="col">{ta('dash.method')}</th>
                  <th scope="col">{ta('money.amount')}</th>
                  <th scope="col">{ta('money.booking')}</th>
                  <th scope="col">{ta('money.by')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr key={row.txnId} data-txn={row.txnId} data-movement={row.movement}>
                    <td>{dateTime(row.at)}</td>
                    <td>{ta(`movement.${row.movement}`)}</td>
                    <td>{row.method ? ta(`method.${row.method}`) : '—'}</td>
                    <td>{money(row.amount)}</td>
                    <td dir="ltr">
                      <AdminLink href={`/admin/bookings/${encodeURIComponent(row.bookingId)}`}>{row.bookingId}</AdminLink>
                      {row.orderId ? (
                        <span class="food-movement" title={row.orderId}>
                          {' '}
                          · {ta('money.food')}
                        </span>
                      ) : null}
                    </td>
                    <td dir="ltr">{row.by}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

export function ReportPage() {
  const [day, setDay] = useState(venueDay(0));
  const { rows, error } = useDay(day);
  const totals = rows ? totalsOf(rows) : null;
  return (
    <section id="report">
      <h1>{ta('nav.report')}</h1>
      <form class="filters panel" onSubmit={(e) => e.preventDefault()}>
        <DayPicker day={day} onDay={setDay} />
        <button type="button" id="export-csv" disabled={rows === null} onClick={() => rows && downloadCsv(day, rows)}>
          {ta('money.export')}
        </button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {totals === null && !error ? <p>{ta('common.loading')}</p> : null}
      {totals ? (
        <>
          <div class="counts" id="report-totals" data-gross={totals.gross} data-refunds={totals.refunds} data-net={totals.net}>
            <div class="count">
              <span class="value">{money(totals.gross)}</span>
              <span class="label">{ta('money.gross')}</span>
            </div>
            <div class="count">
              <span class="value">{money(totals.refunds)}</span>
              <span class="label">{ta('dash.refunds')}</span>
            </div>
            <div class="count">
              <span class="value">{money(totals.net)}</span>
              <span class="label">{ta('dash.net')}</span>
            </div>
          </div>
          <table class="money" id="report-methods">
            <caption>{ta('money.byMethod', { count: rows?.length ?? 0 })}</caption>
            <thead>
              <tr>
                <th scope="col">{ta('dash.method')}</th>
                <th scope="col">{ta('money.gross')}</th>
                <th scope="col">{ta('dash.refunds')}</th>
                <th scope="col">{ta('dash.net')}</th>
              </tr>
            </thead>
            <tbody>
              {METHODS.map((method) => (
                <tr key={method} data-method={method} data-gross={totals.byMethod[method].gross}>
                  <th scope="row">{ta(`method.${method}`)}</th>
                  <td>{money(totals.byMethod[method].gross)}</td>
                  <td>{money(totals.byMethod[method].refunds)}</td>
                  <td>{money(totals.byMethod[method].net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">{ta('money.movements', { count: number(rows?.length ?? 0) })}</p>
        </>
      ) : null}
    </section>
  );
}
