/** Staff sign-in by an emailed 6-digit code (the same accounts and codes as visitors'). */
import { useState } from 'preact/hooks';
import { westernDigits } from '../phone.js';
import { api, keepSession, syncLanguage } from '../session.js';
import { loadAccess } from './access.js';
import { ta } from './messages.js';

export function AdminSignIn() {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    setError('');
    setBusy(true);
    const answer = await api.signIn({ email: email.trim() });
    setBusy(false);
    if (!answer.ok) return setError(answer.message);
    setPending(answer.data.verificationId);
  }

  async function redeem(event: Event) {
    event.preventDefault();
    if (pending === null) return;
    setError('');
    setBusy(true);
    const answer = await api.completeSignIn({ verificationId: pending, code: westernDigits(code).replace(/\D/g, '') });
    setBusy(false);
    if (!answer.ok) return setError(answer.message);
    keepSession(answer.data);
    // Staff messages (codes, alerts) follow the console's language too.
    void syncLanguage();
    await loadAccess();
  }

  async function resend() {
    if (pending === null) return;
    const answer = await api.resend(pending);
    if (!answer.ok) setError(answer.message);
    else setPending(answer.data.verificationId);
  }

  return (
    <section class="sign-in">
      <h1>{ta('signIn.title')}</h1>
      {pending === null ? (
        <form class="panel" id="admin-sign-in" onSubmit={send}>
          <p>{ta('signIn.intro')}</p>
          <label for="admin-email">{ta('signIn.email')}</label>
          <input id="admin-email" type="email" autoComplete="username" dir="ltr" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          {error ? <p class="error" role="alert">{error}</p> : null}
          <button type="submit" disabled={busy}>
            {ta('signIn.send')}
          </button>
        </form>
      ) : (
        <form class="panel" id="admin-code" onSubmit={redeem}>
          <p role="status">{ta('signIn.sent', { address: email.trim() })}</p>
          <label for="admin-code-input">{ta('signIn.code')}</label>
          <input id="admin-code-input" inputMode="numeric" autoComplete="one-time-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          {error ? <p class="error" role="alert">{error}</p> : null}
          <div class="row">
            <button type="submit" disabled={busy}>
              {ta('signIn.verify')}
            </button>
            <button type="button" class="quiet" onClick={() => void resend()}>
              {ta('signIn.resend')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
