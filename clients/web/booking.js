// The booking page behind the links in messages (/bookings/<id>, /pay, /tickets): signs the
// visitor in with an emailed code, shows the booking, starts payment and shows the QR tickets.
// It speaks only the public HTTP API (docs/protocol.md).
const $ = (id) => document.getElementById(id);
const [, , bookingId = '', view = ''] = location.pathname.split('/');
const PAYABLE = new Set(['awaiting_payment']);
const CANCELLABLE = new Set(['held', 'under_review', 'awaiting_payment', 'confirmed']);
const ADMITTING = new Set(['confirmed', 'checked_in', 'checked_out']);
let verificationId = '';
let shownTickets = '';
let deadline = 0;

function tick() {
  const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
  $('countdown').textContent = deadline ? `· ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left` : '';
}

function say(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

function tokens() {
  return { access: localStorage.getItem('vh.access') ?? '', refresh: localStorage.getItem('vh.refresh') ?? '' };
}

function keep(answer) {
  localStorage.setItem('vh.access', answer.accessToken);
  localStorage.setItem('vh.refresh', answer.refreshToken);
}

async function call(method, path, body, retried = false) {
  const headers = { 'content-type': 'application/json' };
  const { access, refresh } = tokens();
  if (access) headers.authorization = `Bearer ${access}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  if (!answer.ok && response.status === 401 && refresh && !retried) {
    const renewed = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: refresh }) }).then((r) => r.json());
    if (renewed.ok) {
      keep(renewed.data);
      return call(method, path, body, true);
    }
    localStorage.removeItem('vh.access');
    localStorage.removeItem('vh.refresh');
  }
  return answer;
}

function showSignIn() {
  $('sign-in').hidden = false;
  $('booking').hidden = true;
}

async function showTickets() {
  const answer = await call('GET', `/api/bookings/${encodeURIComponent(bookingId)}/tickets`);
  if (!answer.ok) return;
  const ids = answer.data.filter((t) => t.state === 'valid').map((t) => t.ticketId);
  if (ids.join(',') === shownTickets) return;
  shownTickets = ids.join(',');
  const box = $('tickets');
  box.replaceChildren();
  for (const ticketId of ids) {
    const response = await fetch(`/api/tickets/${encodeURIComponent(ticketId)}/qr.svg`, { headers: { authorization: `Bearer ${tokens().access}` } });
    const card = document.createElement('div');
    card.className = 'ticket';
    card.dataset.ticketId = ticketId;
    // The SVG comes from our own server's QR renderer.
    card.innerHTML = response.ok ? await response.text() : '';
    const label = document.createElement('div');
    label.textContent = ticketId;
    card.append(label);
    box.append(card);
  }
  $('tickets-section').hidden = ids.length === 0;
}

async function refresh() {
  if (!tokens().access && !tokens().refresh) return showSignIn();
  const answer = await call('GET', `/api/bookings/${encodeURIComponent(bookingId)}`);
  if (!answer.ok) {
    if (answer.code.startsWith('auth.') || answer.code === 'session.invalid') return showSignIn();
    return say(answer.message, true);
  }
  const booking = answer.data;
  $('sign-in').hidden = true;
  $('booking').hidden = false;
  $('state').textContent = booking.state.replace(/_/g, ' ');
  $('state').dataset.state = booking.state;
  const sar = (booking.context.total / 100).toFixed(2);
  $('summary').textContent = `${booking.context.quantity} ${booking.context.quantity === 1 ? 'person' : 'people'} · ${booking.context.slotId} · ${sar} SAR${paymentNote(booking)}`;
  // Held, under review and awaiting payment run against a deadline; show it counting down.
  deadline = booking.deadline ?? 0;
  tick();
  $('pay').hidden = !PAYABLE.has(booking.state);
  $('cancel').hidden = !CANCELLABLE.has(booking.state);
  if (ADMITTING.has(booking.state)) await showTickets();
  if (view === 'pay' && PAYABLE.has(booking.state)) say('Choose how to pay.');
}

/** The latest payment's status as the seed names it (pending, authorized, failed), while it matters. */
function paymentNote(booking) {
  const { paymentStatus, pendingReason, refundedAmount = 0 } = booking.context;
  const refunded = refundedAmount > 0 ? ` · ${(refundedAmount / 100).toFixed(2)} SAR refunded` : '';
  if (paymentStatus === 'pending') {
    const waits = { three_d_secure: 'confirm it with your bank', apple_pay_confirmation: 'confirm it in Apple Pay', bank_processing: 'your bank has not answered yet' };
    return ` · payment pending: ${waits[pendingReason] ?? 'waiting for the provider'}`;
  }
  if (paymentStatus === 'failed' && PAYABLE.has(booking.state)) return ' · the last payment failed: you can try again';
  return paymentStatus === 'authorized' ? ` · payment authorized${refunded}` : refunded;
}

$('address-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await call('POST', '/api/auth/sign-in', { email: $('email').value });
  if (!answer.ok) return say(answer.message, true);
  verificationId = answer.data.verificationId;
  $('code-form').hidden = false;
  say('We sent you a code. It is valid for 10 minutes.');
});

$('code-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await call('POST', '/api/auth/sign-in/complete', { verificationId, code: $('code').value });
  if (!answer.ok) return say(answer.message, true);
  keep(answer.data);
  say('');
  await refresh();
});

for (const button of document.querySelectorAll('#pay button')) {
  button.addEventListener('click', async () => {
    const answer = await call('POST', `/api/bookings/${encodeURIComponent(bookingId)}/pay`, { method: button.dataset.method });
    if (!answer.ok) return say(answer.message, true);
    location.href = answer.data.redirectUrl;
  });
}

$('cancel-button').addEventListener('click', async () => {
  if (!confirm('Cancel this booking? Refunds follow the venue\'s policy.')) return;
  const answer = await call('POST', `/api/bookings/${encodeURIComponent(bookingId)}/cancel`, {});
  say(answer.ok ? `Cancelled. Refund: ${(answer.data.refundAmount / 100).toFixed(2)} SAR.` : answer.message, !answer.ok);
  await refresh();
});

$('booking-id').textContent = bookingId;
await refresh();
setInterval(() => void refresh(), 5000);
setInterval(tick, 1000);
