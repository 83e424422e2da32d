/**
 * The pages about people and devices: the audit log (super and finance admins), staff and roles
 * (super admins: find a person, change their role), devices (super admins: mint a gate, locker,
 * rental desk or kitchen token shown as a QR the device page reads; end a device's sessions), and
 * support tools (find a visitor, their bookings, send them a sign-in code, unlock their sign-in,
 * send a booking's tickets again, suspend or reinstate).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BookingContext } from '../../../../machines/booking.schemas.js';
import type { ResendStatus, TicketsResend } from '../../../../machines/contract/bookings.js';
import type { ActorState } from '../../../../machines/contract/wire.js';
import type { HubAccount } from '../../../sdk/index.js';
import { dateTime, money } from '../format.js';
import { QrCode } from '../qr.js';
import { api, hub, signedInCall } from '../session.js';
import { can } from './access.js';
import { AdminLink } from './link.js';
import { ta, taOr } from './messages.js';
import type { AdminKey } from './messages.js';
import { slotName } from './slots.js';

interface AuditRow {
  at: number;
  who: string;
  role: string;
  action: string;
  target: string | null;
  outcome: 'allowed' | 'denied' | 'failed';
  code: string | null;
  detail: Record<string, unknown> | null;
}

const PERSON_ROLES = ['visitor', 'super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff'] as const;
const DEVICE_KINDS = ['gate', 'locker', 'rental_desk', 'kitchen_board'] as const;

async function readAudit(query: Record<string, string>): Promise<{ rows: AuditRow[] } | { error: string }> {
  const search = new URLSearchParams(query).toString();
  const answer = await signedInCall((token) => api.request<{ entries: AuditRow[] }>('GET', `/api/admin/audit?${search}`, { token }));
  return answer.ok ? { rows: answer.data.entries } : { error: answer.message };
}

export function AuditPage() {
  const [who, setWho] = useState('');
  const [action, setAction] = useState('');
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [error, setError] = useState('');
  async function load() {
    const read = await readAudit({ limit: '500', ...(who.trim() === '' ? {} : { who: who.trim() }) });
    if ('error' in read) return setError(read.error);
    setError('');
    setRows(read.rows);
  }
  useEffect(() => void load(), []);
  const shown = (rows ?? []).filter((row) => action.trim() === '' || row.action.includes(action.trim()));
  return (
    <section id="audit">
      <h1>{ta('nav.audit')}</h1>
      <form class="filters panel" onSubmit={(e) => (e.preventDefault(), void load())}>
        <div class="field">
          <label for="audit-who">{ta('audit.who')}</label>
          <input id="audit-who" type="text" dir="ltr" placeholder="user:… / device:…" value={who} onInput={(e) => setWho(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="audit-action">{ta('audit.action')}</label>
          <input id="audit-action" type="text" dir="ltr" value={action} onInput={(e) => setAction(e.currentTarget.value)} />
        </div>
        <button type="submit">{ta('common.search')}</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {rows === null && !error ? <p>{ta('common.loading')}</p> : null}
      {rows ? (
        <div class="scroll">
          <table class="history" id="audit-table">
            <thead>
              <tr>
                <th scope="col">{ta('money.at')}</th>
                <th scope="col">{ta('money.by')}</th>
                <th scope="col">{ta('audit.action')}</th>
                <th scope="col">{ta('audit.target')}</th>
                <th scope="col">{ta('audit.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row, i) => (
                <tr key={`${row.at}-${i}`} data-action={row.action} data-outcome={row.outcome}>
                  <td>{dateTime(row.at)}</td>
                  <td dir="ltr">
                    {row.who} · {taOr('role', row.role)}
                  </td>
                  <td dir="ltr">{row.action}</td>
                  <td dir="ltr">{row.target ?? '—'}</td>
                  <td>
                    {ta(`audit.${row.outcome}`)}
                    {row.code ? <span dir="ltr"> ({row.code})</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Finds a person by email (or phone, starting with +). */
function FindPerson(props: { onFound: (account: HubAccount | null) => void; id: string }) {
  const [address, setAddress] = useState('');
  const [error, setError] = useState('');
  async function find(event: Event) {
    event.preventDefault();
    const value = address.trim();
    const query = value.startsWith('+') ? `phone=${encodeURIComponent(value)}` : `email=${encodeURIComponent(value)}`;
    const answer = await signedInCall((token) => api.request<{ account: HubAccount }>('GET', `/api/admin/users?${query}`, { token }));
    setError(answer.ok ? '' : answer.message);
    props.onFound(answer.ok ? answer.data.account : null);
  }
  return (
    <form class="filters panel" id={props.id} onSubmit={find}>
      <div class="field grow">
        <label for={`${props.id}-address`}>{ta('people.address')}</label>
        <input id={`${props.id}-address`} type="text" dir="ltr" required value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
      </div>
      <button type="submit">{ta('common.search')}</button>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function AccountFacts(props: { account: HubAccount }) {
  const { account } = props;
  return (
    <dl class="facts" id="person" data-user={account.userId} data-role={account.role} data-status={account.status}>
      <dt>{ta('people.name')}</dt>
      <dd>{account.name}</dd>
      <dt>{ta('people.contact')}</dt>
      <dd dir="ltr">{[account.email, account.phone].filter((v) => v !== null).join(' · ')}</dd>
      <dt>{ta('people.role')}</dt>
      <dd>{taOr('role', account.role)}</dd>
      <dt>{ta('people.status')}</dt>
      <dd>{ta(account.status === 'active' ? 'people.active' : 'people.suspended')}</dd>
    </dl>
  );
}

export function StaffPage() {
  const [account, setAccount] = useState<HubAccount | null>(null);
  const [role, setRole] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  async function save(event: Event) {
    event.preventDefault();
    if (!account) return;
    const answer = await signedInCall((token) => api.setRole(account.userId, role as HubAccount['role'], token));
    if (!answer.ok) return setError(answer.message);
    setError('');
    setAccount(answer.data.account);
    setMessage(ta('people.roleSaved', { name: answer.data.account.name, role: taOr('role', answer.data.account.role) }));
  }
  return (
    <section id="staff">
      <h1>{ta('nav.staff')}</h1>
      <p class="muted">{ta('people.staffIntro')}</p>
      <FindPerson id="find-staff" onFound={(found) => (setAccount(found), setRole(found?.role ?? ''), setMessage(''))} />
      {account ? (
        <div class="panel">
          <AccountFacts account={account} />
          <form class="filters" onSubmit={save}>
            <div class="field">
              <label for="role-select">{ta('people.newRole')}</label>
              <select id="role-select" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                {PERSON_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {taOr('role', r)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" id="role-save">
              {ta('people.saveRole')}
            </button>
          </form>
          <p role="status">{message}</p>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

interface Minted {
  deviceId: string;
  deviceKind: string;
  token: string;
  expiresAt: number;
}

export function DevicesPage() {
  const [deviceId, setDeviceId] = useState('');
  const [deviceKind, setDeviceKind] = useState<(typeof DEVICE_KINDS)[number]>('gate');
  const [zone, setZone] = useState('');
  const [gateId, setGateId] = useState('');
  const [minted, setMinted] = useState<Minted | null>(null);
  const [issued, setIssued] = useState<AuditRow[]>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  async function loadIssued() {
    const read = await readAudit({ limit: '500' });
    if (!('error' in read)) setIssued(read.rows.filter((row) => row.action === 'device.issue_token' && row.outcome === 'allowed'));
  }
  useEffect(() => void loadIssued(), []);
  async function mint(event: Event) {
    event.preventDefault();
    const scope = { ...(zone.trim() === '' ? {} : { zone: zone.trim() }), ...(gateId.trim() === '' ? {} : deviceKind === 'locker' ? { lockerBankId: gateId.trim() } : { gateId: gateId.trim() }) };
    const answer = await signedInCall((token) => api.request<{ deviceId: string; token: string; expiresAt: number }>('POST', '/api/admin/devices', { token, body: { deviceId: deviceId.trim(), deviceKind, scope } }));
    if (!answer.ok) return setError(answer.message);
    setError('');
    setMinted({ ...answer.data, deviceKind });
    void loadIssued();
  }
  async function revoke(id: string) {
    const answer = await hub().revoke({ subject: `device:${id}`, reason: 'revoked from the admin console' });
    setMessage(answer.ok ? ta('devices.revoked', { device: id }) : answer.message);
  }
  const ids = [...new Set(issued.map((row) => (row.target ?? '').replace(/^device\//, '')).filter((id) => id !== ''))];
  return (
    <section id="devices">
      <h1>{ta('nav.devices')}</h1>
      <form class="filters panel" id="mint-device" onSubmit={mint}>
        <div class="field">
          <label for="device-id">{ta('devices.id')}</label>
          <input id="device-id" type="text" dir="ltr" required pattern="[A-Za-z0-9_.:\-]{1,64}" value={deviceId} onInput={(e) => setDeviceId(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="device-kind">{ta('devices.kind')}</label>
          <select id="device-kind" value={deviceKind} onChange={(e) => setDeviceKind(e.currentTarget.value as (typeof DEVICE_KINDS)[number])}>
            {DEVICE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {ta(`devices.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="device-zone">{ta('dash.zone')}</label>
          <input id="device-zone" type="text" dir="ltr" value={zone} onInput={(e) => setZone(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="device-place">{ta('devices.place')}</label>
          <input id="device-place" type="text" dir="ltr" value={gateId} onInput={(e) => setGateId(e.currentTarget.value)} />
        </div>
        <button type="submit">{ta('devices.mint')}</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {minted ? (
        <div class="panel" id="minted" data-device={minted.deviceId}>
          <h2>{ta('devices.pair', { device: minted.deviceId })}</h2>
          <QrCode text={minted.token} modulePx={3} label={ta('devices.qr', { device: minted.deviceId })} />
          <p class="muted">{ta('devices.expires', { time: dateTime(minted.expiresAt * 1000) })}</p>
          <details>
            <summary>{ta('devices.token')}</summary>
            <code class="token" dir="ltr">
              {minted.token}
            </code>
          </details>
        </div>
      ) : null}
      <h2>{ta('devices.issued')}</h2>
      <p role="status">{message}</p>
      <ul class="booking-rows" role="list">
        {ids.map((id) => (
          <li key={id} class="panel" data-device={id}>
            <span dir="ltr">{id}</span>{' '}
            <button type="button" class="danger small" onClick={() => void revoke(id)}>
              {ta('devices.revoke')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The booking states whose tickets admit: the ones worth sending again. */
const TICKETS_ADMIT = new Set(['confirmed', 'checked_in', 'leaving']);

/** A resend is followed until it settles, asking this often. */
const RESEND_POLL_MS = 1_000;
const RESEND_SETTLED: ReadonlySet<ResendStatus> = new Set(['sent', 'failed', 'skipped']);

/** What support reads of a resend as it goes: accepted, being sent, retried, then sent (or failed, or skipped). */
const RESEND_TEXT: Readonly<Record<ResendStatus, AdminKey>> = {
  accepted: 'support.resendAccepted',
  sending: 'support.resendSending',
  retrying: 'support.resendRetrying',
  sent: 'support.ticketsResent',
  failed: 'support.resendFailed',
  skipped: 'support.resendSkipped',
};

function resendText(resend: TicketsResend): string {
  return ta(RESEND_TEXT[resend.status], { count: resend.tickets, email: resend.email, attempts: resend.attempts });
}

export function SupportPage() {
  const [account, setAccount] = useState<HubAccount | null>(null);
  const [bookings, setBookings] = useState<ActorState[]>([]);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (!account) return setBookings([]);
    void hub()
      .listPage({ list: 'bookings', filters: { visitorId: account.userId }, limit: 20 })
      .then((answer) => setBookings(answer.ok ? answer.data.rows : []));
  }, [account?.userId]);
  async function act(path: string, body?: unknown) {
    if (!account) return;
    const answer = await signedInCall((token) => api.request<{ account?: HubAccount; status?: string }>('POST', `/api/admin/users/${encodeURIComponent(account.userId)}/${path}`, { token, ...(body === undefined ? {} : { body }) }));
    if (!answer.ok) return setError(answer.message);
    setError('');
    setAccount(answer.data.account ?? { ...account, status: 'suspended' });
    setMessage(ta(path === 'suspend' ? 'support.suspended' : 'support.reinstated', { name: account.name }));
  }
  async function unlock() {
    if (!account) return;
    const answer = await signedInCall((token) => api.unlock(account.userId, token));
    if (!answer.ok) return setError(answer.message);
    setError('');
    const { lockedUntil } = answer.data;
    setMessage(lockedUntil === null ? ta('support.unlocked', { name: account.name }) : ta('support.unlockedWasLocked', { name: account.name, time: dateTime(lockedUntil) }));
  }
  const [resends, setResends] = useState<Record<string, TicketsResend>>({});
  const shown = useRef(true);
  useEffect(() => () => void (shown.current = false), []);
  /** Follows a resend until it settles (or the page is left): the outbox sends it, retrying while the mail server fails. */
  async function follow(resend: TicketsResend) {
    let current = resend;
    while (shown.current && !RESEND_SETTLED.has(current.status)) {
      await new Promise((resolve) => setTimeout(resolve, RESEND_POLL_MS));
      const { bookingId, reference } = current;
      const answer = await signedInCall((token) => api.resendStatus(bookingId, reference, token));
      if (!answer.ok) return setError(answer.message);
      current = answer.data;
      setResends((all) => ({ ...all, [current.bookingId]: current }));
    }
  }
  async function resendTickets(bookingId: string) {
    const answer = await signedInCall((token) => api.resendTickets(bookingId, token));
    if (!answer.ok) return setError(answer.message);
    setError('');
    setResends((all) => ({ ...all, [bookingId]: answer.data }));
    void follow(answer.data);
  }
  async function sendCode() {
    if (!account) return;
    const answer = await api.signIn(account.email !== null ? { email: account.email } : { phone: account.phone ?? '' });
    if (!answer.ok) return setError(answer.message);
    setMessage(ta('support.codeSent', { address: account.email ?? account.phone ?? '' }));
  }
  return (
    <section id="support">
      <h1>{ta('nav.support')}</h1>
      <FindPerson id="find-visitor" onFound={(found) => (setAccount(found), setMessage(''), setError(''))} />
      {account ? (
        <div class="panel">
          <AccountFacts account={account} />
          <div class="row">
            <button type="button" class="quiet" id="send-code" onClick={() => void sendCode()}>
              {ta('support.sendCode')}
            </button>
            {can('account.unlock') ? (
              <button type="button" class="quiet" id="unlock" onClick={() => void unlock()}>
                {ta('support.unlock')}
              </button>
            ) : null}
          </div>
          {can('account.suspend') && account.status === 'active' ? (
            <form class="filters" onSubmit={(e) => (e.preventDefault(), void act('suspend', { reason: reason.trim() }))}>
              <div class="field grow">
                <label for="suspend-reason">{ta('support.reason')}</label>
                <input id="suspend-reason" type="text" required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              </div>
              <button type="submit" class="danger" id="suspend">
                {ta('support.suspend')}
              </button>
            </form>
          ) : null}
          {can('account.reinstate') && account.status === 'suspended' ? (
            <button type="button" id="reinstate" onClick={() => void act('reinstate')}>
              {ta('support.reinstate')}
            </button>
          ) : null}
          <p role="status">{message}</p>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <h2>{ta('nav.bookings')}</h2>
          <ul class="booking-rows" role="list">
            {bookings.map((row) => (
              <li key={row.id} class="panel" data-booking={row.id}>
                <AdminLink href={`/admin/bookings/${encodeURIComponent(row.id)}`}>{slotName((row.context as BookingContext).slotId)}</AdminLink> · {taOr('state', row.state)} · {money((row.context as BookingContext).total)}
                {can('booking.resend_tickets') && TICKETS_ADMIT.has(row.state) ? (
                  <>
                    {' '}
                    <button type="button" class="quiet small resend-tickets" onClick={() => void resendTickets(row.id)}>
                      {ta('support.resendTickets')}
                    </button>
                  </>
                ) : null}
                {resends[row.id] ? (
                  <p class={`resend ${resends[row.id]?.status === 'failed' ? 'error' : 'muted'}`} role="status" data-status={resends[row.id]?.status} data-attempts={resends[row.id]?.attempts} data-reference={resends[row.id]?.reference}>
                    {resendText(resends[row.id] as TicketsResend)}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
