/**
 * Sign up and sign in with a one-time code sent by email or text; the emailed link (/verify#v=…&t=…)
 * signs in too. Mobile numbers are accepted as typed and sent to the hub in E.164.
 */
import { useEffect, useState } from 'preact/hooks';
import type { HubResult, SignedIn } from '../../../sdk/index.js';
import { lang, t, tParts } from '../i18n.js';
import { mobileE164, westernDigits } from '../phone.js';
import { refusalText } from '../refusals.js';
import { navigate, path } from '../router.js';
import { api, keepSession, syncLanguage } from '../session.js';

const NEXT = 'vh.next';
/** Digits in a one-time code. */
const CODE_DIGITS = 6;

type Mode = 'new' | 'returning';
type Channel = 'email' | 'phone';

/** The sign-in form; `onSignedIn` runs after a successful code. */
export function SignInPanel(props: { onSignedIn: () => void; initialMode?: Mode }) {
  const [mode, setMode] = useState<Mode>(props.initialMode ?? 'new');
  const [channel, setChannel] = useState<Channel>('email');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<{ verificationId: string; mode: Mode; shown: string; by: Channel } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function sendCode(event: Event) {
    event.preventDefault();
    setError('');
    let contact: { email: string } | { phone: string };
    if (channel === 'phone') {
      const phone = mobileE164(address);
      if (phone === null) return setError(t('auth.phoneInvalid'));
      contact = { phone };
    } else {
      contact = { email: address.trim() };
    }
    setBusy(true);
    // The link in the email brings the visitor back to the page they were on.
    localStorage.setItem(NEXT, path.value === '/sign-in' || path.value === '/verify' ? '/' : path.value);
    const answer = mode === 'new' ? await api.register({ name: name.trim(), ...contact, ...('phone' in contact ? { channel: 'sms' as const } : {}), language: lang.value }) : await api.signIn(contact);
    setBusy(false);
    if (!answer.ok) return setError(refusalText(answer));
    setPending({ verificationId: answer.data.verificationId, mode, shown: 'phone' in contact ? contact.phone : contact.email, by: channel });
  }

  async function redeem(event: Event) {
    event.preventDefault();
    if (!pending) return;
    setError('');
    setBusy(true);
    const body = { verificationId: pending.verificationId, code: westernDigits(code).replace(/\D/g, '') };
    const answer: HubResult<SignedIn> = pending.mode === 'new' ? await api.verify(body) : await api.completeSignIn(body);
    setBusy(false);
    if (!answer.ok) return setError(refusalText(answer));
    keepSession(answer.data);
    // A returning person who now uses the pages in another language gets their messages in it too.
    void syncLanguage();
    localStorage.removeItem(NEXT);
    props.onSignedIn();
  }

  async function resend() {
    if (!pending) return;
    const answer = await api.resend(pending.verificationId);
    if (!answer.ok) setError(refusalText(answer));
    else setPending({ ...pending, verificationId: answer.data.verificationId });
  }

  if (pending) {
    return (
      <form class="panel" id="code-form" onSubmit={redeem}>
        <p role="status">
          {tParts(pending.by === 'phone' ? 'auth.codeSentPhone' : 'auth.codeSentEmail', {
            digits: CODE_DIGITS,
            address: (
              <bdi dir="ltr" class="address">
                {pending.shown}
              </bdi>
            ),
          })}
        </p>
        <label for="code">{t('auth.code', { digits: CODE_DIGITS })}</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        {error ? <p class="error" role="alert">{error}</p> : null}
        <div class="row">
          <button type="submit" disabled={busy}>
            {t('auth.verify')}
          </button>
          <button type="button" class="quiet" onClick={() => void resend()}>
            {t('auth.resend')}
          </button>
        </div>
      </form>
    );
  }

  return (
    <form class="panel" id="sign-in-form" onSubmit={sendCode}>
      <fieldset class="choice">
        <legend class="sr-only">{t('auth.title')}</legend>
        <label>
          <input type="radio" name="mode" value="new" checked={mode === 'new'} onChange={() => setMode('new')} /> {t('auth.new')}
        </label>
        <label>
          <input type="radio" name="mode" value="returning" checked={mode === 'returning'} onChange={() => setMode('returning')} /> {t('auth.returning')}
        </label>
      </fieldset>
      {mode === 'new' ? (
        <>
          <label for="name">{t('auth.name')}</label>
          <input id="name" name="name" autoComplete="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </>
      ) : null}
      <fieldset class="choice">
        <legend>{t('auth.contact')}</legend>
        <label>
          <input type="radio" name="channel" value="email" checked={channel === 'email'} onChange={() => setChannel('email')} /> {t('auth.byEmail')}
        </label>
        <label>
          <input type="radio" name="channel" value="phone" checked={channel === 'phone'} onChange={() => setChannel('phone')} /> {t('auth.byPhone')}
        </label>
      </fieldset>
      {channel === 'email' ? (
        <>
          <label for="email">{t('auth.email')}</label>
          <input id="email" name="email" type="email" autoComplete="email" dir="ltr" required value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
        </>
      ) : (
        <>
          <label for="phone">{t('auth.phone')}</label>
          <input id="phone" name="phone" type="tel" autoComplete="tel" dir="ltr" required aria-describedby="phone-hint" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
          <p class="hint" id="phone-hint">
            {t('auth.phoneHint')}
          </p>
        </>
      )}
      {error ? <p class="error" role="alert">{error}</p> : null}
      <button type="submit" disabled={busy}>
        {t('auth.sendCode')}
      </button>
    </form>
  );
}

/** /sign-in: the panel on its own page; back to where the visitor came from afterwards. */
export function SignInPage() {
  return (
    <section>
      <h1>{t('auth.title')}</h1>
      <SignInPanel onSignedIn={() => navigate(localStorage.getItem(NEXT) ?? '/', { replace: true })} />
    </section>
  );
}

/** /verify#v=<verificationId>&t=<token>: the link in the confirmation email. */
export function VerifyLinkPage() {
  const [message, setMessage] = useState(t('auth.verifying'));
  useEffect(() => {
    const fields = new URLSearchParams(location.hash.replace(/^#/, ''));
    const verificationId = fields.get('v') ?? '';
    const token = fields.get('t') ?? '';
    void api.verifyLink({ verificationId, token }).then((answer) => {
      if (!answer.ok) return setMessage(t('auth.linkFailed', { message: refusalText(answer) }));
      keepSession(answer.data);
      setMessage(t('auth.verified', { name: answer.data.account.name }));
      const next = localStorage.getItem(NEXT) ?? '/';
      localStorage.removeItem(NEXT);
      navigate(next, { replace: true });
    });
  }, []);
  return (
    <section>
      <h1>{t('auth.title')}</h1>
      <p role="status" id="verify-status">
        {message}
      </p>
    </section>
  );
}
