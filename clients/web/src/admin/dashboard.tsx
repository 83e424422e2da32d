/**
 * The live dashboard: the day's counts from the dashboard feed's snapshot, then every
 * `dashboard:summary` the hub pushes; open alerts (the feed's rows) with acknowledge; occupancy by
 * zone against the capacity of the slots running now; check-ins per minute from the zone feeds
 * (their snapshot's tickets inside, by the minute they came in, then each entry as it happens);
 * and, for roles that may read the money, today's revenue and refunds by method.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ActorState, DashboardSummary, FeedChanged } from '../../../../machines/contract/wire.js';
import { activities, loadCatalog } from '../catalog.js';
import { dateTime, dayLabel, money, venueDay, venueTimeZone } from '../format.js';
import { number } from '../i18n.js';
import { api, hub } from '../session.js';
import { can } from './access.js';
import { Bars, Line } from './charts.js';
import { METHODS, totalsOf } from './ledger.js';
import { dayTransactions } from './transactions.js';
import type { DayTotals } from './ledger.js';
import { ta } from './messages.js';

const MINUTE = 60_000;
const CHART_MINUTES = 30;

interface AlertContext {
  type: string;
  severity: string;
  message: string;
  zone?: string;
  raisedAt: number;
  acknowledgedBy?: string;
}

/** The capacity of the slots running now, by zone (none running: the zone is absent). */
async function capacityNow(now: number): Promise<Record<string, number>> {
  await loadCatalog();
  const day = venueDay(0, now);
  const byZone: Record<string, number> = {};
  await Promise.all(
    (activities.value ?? []).map(async (activity) => {
      const answer = await api.slots(activity.activityId, day);
      if (!answer.ok) return;
      for (const slot of answer.data.slots) {
        if (slot.startsAt <= now && now < slot.endsAt) byZone[activity.zone] = (byZone[activity.zone] ?? 0) + slot.capacity;
      }
    }),
  );
  return byZone;
}

/** Entries per minute: each ticket entry once (by ticket and version). */
function useCheckIns(zones: readonly string[]) {
  const entries = useRef(new Map<string, number>());
  const [tick, setTick] = useState(0);
  const zoneKey = zones.join('|');
  useEffect(() => {
    const add = (key: string, at: number) => {
      if (entries.current.has(key)) return;
      entries.current.set(key, at);
      setTick((n) => n + 1);
    };
    const onChange = (change: FeedChanged) => {
      if (change.member === true && change.change.state === 'inside') add(`${change.change.id}@${change.change.version}`, change.change.at);
    };
    const onSnapshot = (snapshot: { rows: ActorState[] }) => {
      for (const row of snapshot.rows) {
        const at = (row.context as { lastEntry?: { at?: number } } | null)?.lastEntry?.at;
        if (typeof at === 'number') add(`${row.id}@${row.version}`, at);
      }
    };
    const subscriptions = zones.map((zone) => hub().subscribeFeed({ feed: 'zone', zone, limit: 500 }, onChange, onSnapshot));
    // The chart moves on with the clock even when nobody comes in.
    const timer = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => {
      clearInterval(timer);
      for (const subscription of subscriptions) void subscription.unsubscribe();
    };
  }, [zoneKey]);
  const now = Date.now();
  const currentMinute = Math.floor(now / MINUTE);
  const perMinute = Array.from({ length: CHART_MINUTES }, () => 0);
  for (const at of entries.current.values()) {
    const age = currentMinute - Math.floor(at / MINUTE);
    if (age >= 0 && age < CHART_MINUTES) perMinute[CHART_MINUTES - 1 - age] = (perMinute[CHART_MINUTES - 1 - age] ?? 0) + 1;
  }
  return { perMinute, tick };
}

function Count(props: { id: string; label: string; value: number; warn?: boolean }) {
  return (
    <div class={props.warn && props.value > 0 ? 'count warn' : 'count'} id={props.id} data-value={props.value}>
      <span class="value">{number(props.value)}</span>
      <span class="label">{props.label}</span>
    </div>
  );
}

function Revenue(props: { totals: DayTotals | null }) {
  const { totals } = props;
  if (totals === null) return <p>{ta('common.loading')}</p>;
  return (
    <table class="money" id="revenue" data-gross={totals.gross} data-refunds={totals.refunds}>
      <thead>
        <tr>
          <th scope="col">{ta('dash.method')}</th>
          <th scope="col">{ta('dash.gross')}</th>
          <th scope="col">{ta('dash.refunds')}</th>
          <th scope="col">{ta('dash.net')}</th>
        </tr>
      </thead>
      <tbody>
        {METHODS.map((method) => (
          <tr key={method} data-method={method}>
            <th scope="row">{ta(`method.${method}`)}</th>
            <td>{money(totals.byMethod[method].gross)}</td>
            <td>{money(totals.byMethod[method].refunds)}</td>
            <td>{money(totals.byMethod[method].net)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{ta('common.all')}</th>
          <td>{money(totals.gross)}</td>
          <td>{money(totals.refunds)}</td>
          <td>{money(totals.net)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function DashboardPage() {
  const [summary, setSummary] = useState<DashboardSummary | null>(null);
  const [alerts, setAlerts] = useState<ActorState[]>([]);
  const [error, setError] = useState('');
  const [capacity, setCapacity] = useState<Record<string, number>>({});
  const [insideTrend, setInsideTrend] = useState<number[]>([]);
  const [totals, setTotals] = useState<DayTotals | null>(null);
  const seesMoney = can('transactions.list');
  const moneyDue = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function refreshMoney() {
    if (!seesMoney) return;
    clearTimeout(moneyDue.current);
    // Captures and refunds come as bursts of changes: read the day once they settle.
    moneyDue.current = setTimeout(() => {
      void dayTransactions(venueDay(0), venueTimeZone.value).then((answer) => {
        if (answer.ok) setTotals(totalsOf(answer.rows));
      });
    }, 500);
  }

  useEffect(() => {
    const take = (next: DashboardSummary) => {
      setSummary(next);
      const inside = Object.values(next.inside).reduce((sum, n) => sum + n, 0);
      setInsideTrend((trend) => [...trend, inside].slice(-60));
    };
    const stopSummaries = hub().onDashboardSummary(take);
    const subscription = hub().subscribeFeed(
      { feed: 'dashboard', limit: 100 },
      (change) => {
        if (change.change.kind === 'alert') {
          setAlerts((rows) => {
            const others = rows.filter((row) => row.id !== change.change.id);
            return change.member === false ? others : [change.change, ...others];
          });
        } else refreshMoney();
      },
      (snapshot) => {
        setAlerts(snapshot.rows.filter((row) => row.kind === 'alert'));
        if (snapshot.summary) take(snapshot.summary);
      },
    );
    void subscription.ready.then((answer) => {
      if (!answer.ok) setError(answer.message);
    });
    refreshMoney();
    const readCapacity = () => void capacityNow(Date.now()).then(setCapacity);
    readCapacity();
    const timer = setInterval(readCapacity, 5 * MINUTE);
    return () => {
      stopSummaries();
      clearInterval(timer);
      clearTimeout(moneyDue.current);
      void subscription.unsubscribe();
    };
  }, []);

  const zones = [...new Set([...(activities.value ?? []).map((a) => a.zone), ...Object.keys(summary?.inside ?? {})])].sort();
  const { perMinute } = useCheckIns(zones);
  const lastMinute = perMinute.at(-1) ?? 0;
  const insideNow = insideTrend.at(-1) ?? 0;

  async function acknowledge(alertId: string) {
    const answer = await hub().acknowledgeAlert(alertId);
    if (!answer.ok) setError(answer.message);
    else setAlerts((rows) => rows.map((row) => (row.id === alertId ? answer.data : row)));
  }

  return (
    <section class="dashboard" id="dashboard" data-loaded={summary === null ? 'no' : 'yes'}>
      <h1>{ta('dash.title')}</h1>
      {summary ? <p class="muted">{ta('dash.day', { day: dayLabel(summary.day) })}</p> : <p>{ta('common.loading')}</p>}
      {error ? <p class="error" role="alert">{ta('common.error', { message: error })}</p> : null}
      {summary ? (
        <>
          <h2>{ta('dash.occupancy')}</h2>
          <ul class="zones" role="list">
            {zones.map((zone) => {
              const inside = summary.inside[zone] ?? 0;
              const cap = capacity[zone];
              return (
                <li class="zone panel" key={zone} data-zone={zone} data-inside={inside} data-capacity={cap ?? ''}>
                  <h3>{zone}</h3>
                  <p class="inside">{ta('dash.inside', { inside })}</p>
                  {cap === undefined ? <p class="muted">{ta('dash.noSlotNow')}</p> : <p class="muted">{ta('dash.ofCapacity', { capacity: cap })}</p>}
                  {cap !== undefined && cap > 0 ? (
                    <div class="meter" role="meter" aria-label={zone} aria-valuemin={0} aria-valuemax={cap} aria-valuenow={inside}>
                      <span style={{ inlineSize: `${Math.min(100, (inside / cap) * 100)}%` }} />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <div class="trends">
            <div class="panel">
              <h2>{ta('dash.checkins')}</h2>
              <p id="checkins-now">{ta('dash.checkinsNow', { count: lastMinute })}</p>
              <Bars id="checkins-chart" values={perMinute} label={ta('dash.chartCheckins', { count: lastMinute })} />
            </div>
            <div class="panel">
              <h2>{ta('dash.insideTrend')}</h2>
              <p>{number(insideNow)}</p>
              <Line id="inside-chart" values={insideTrend} label={ta('dash.chartInside', { count: insideNow })} />
            </div>
          </div>
          <h2>{ta('dash.counts')}</h2>
          <div class="counts">
            <Count id="count-reviews" label={ta('dash.reviews')} value={summary.bookings['under_review'] ?? 0} warn />
            <Count id="count-payments-pending" label={ta('dash.paymentsPending')} value={summary.payments['pending'] ?? 0} />
            <Count id="count-payments-failed" label={ta('dash.paymentsFailed')} value={summary.payments['failed'] ?? 0} warn />
            <Count id="count-lockers" label={ta('dash.lockers')} value={summary.lockers['assigned'] ?? 0} />
            <Count id="count-equipment-out" label={ta('dash.equipmentOut')} value={summary.equipment['in_use'] ?? 0} />
            <Count id="count-equipment-overdue" label={ta('dash.equipmentOverdue')} value={summary.equipmentOverdue} warn />
            <Count id="count-alerts" label={ta('dash.alerts')} value={summary.openAlerts} warn />
          </div>
          {seesMoney ? (
            <>
              <h2>{ta('dash.revenue')}</h2>
              <Revenue totals={totals} />
            </>
          ) : null}
          <h2>{ta('dash.alerts')}</h2>
          {alerts.length === 0 ? <p class="muted">{ta('dash.noAlerts')}</p> : null}
          <ul class="alert-list" role="list">
            {alerts.map((row) => {
              const alert = row.context as AlertContext;
              return (
                <li key={row.id} class="panel alert-row" data-alert={row.id} data-state={row.state} data-severity={alert.severity}>
                  <p>
                    <strong>{alert.message}</strong>
                  </p>
                  <p class="muted">
                    {dateTime(alert.raisedAt)}
                    {alert.zone ? ` · ${alert.zone}` : ''}
                  </p>
                  {row.state === 'open' && can('alert.acknowledge') ? (
                    <button type="button" class="small" onClick={() => void acknowledge(row.id)}>
                      {ta('dash.acknowledge')}
                    </button>
                  ) : alert.acknowledgedBy ? (
                    <p class="muted">{ta('dash.acknowledged', { who: alert.acknowledgedBy })}</p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}
