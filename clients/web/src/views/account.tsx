/** The signed-in person's account: how they hear about bookings, language, sign out. */
import { useState } from 'preact/hooks';
import type { HubAccount } from '../../../sdk/index.js';
import { lang, t } from '../i18n.js';
import type { MessageKey } from '../messages.js';
import { refusalText } from '../refusals.js';
import { navigate } from '../router.js';
import { disablePush, enablePush } from '../push.js';
import { account, api, chooseLanguage, setAccount, signedInCall, signOut } from '../session.js';
import { SignInPanel } from './sign-in.js';

const CHANNELS = ['email', 'sms', 'push', 'in_app'] as const;

export function AccountPage() {
  const me = account.value;
  const [saved, setSaved] = useState('');
  if (!me) {
    return (
      <section>
        <h1>{t('account.title')}</h1>
        <SignInPanel onSignedIn={() => {}} />
      </section>
    );
  }
  async function toggle(channel: keyof HubAccount['preferences'], on: boolean) {
    setSaved('');
    // Push needs this device's subscription first (permission, service worker, the hub's key).
    if (channel === 'push' && on) {
      const problem = await enablePush();
      if (problem !== null) return setSaved(t(problem));
    }
    if (channel === 'push' && !on) await disablePush().catch(() => {});
    const answer = await signedInCall((token) => api.preferences({ [channel]: on }, token));
    if (answer.ok) {
      setAccount(answer.data);
      setSaved(t('account.saved'));
    } else setSaved(refusalText(answer));
  }
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <p>{t('auth.signedInAs', { name: me.name })}</p>
      <fieldset class="panel">
        <legend>{t('account.notifications')}</legend>
        {CHANNELS.map((channel) => (
          <label class="toggle" key={channel}>
            <input type="checkbox" name={channel} checked={me.preferences[channel]} onChange={(e) => void toggle(channel, e.currentTarget.checked)} /> {t(`account.channel.${channel}` as MessageKey)}
          </label>
        ))}
        <p role="status">{saved}</p>
      </fieldset>
      <fieldset class="panel">
        <legend>{t('account.language')}</legend>
        <label class="toggle" lang="en">
          <input type="radio" name="language" checked={lang.value === 'en'} onChange={() => chooseLanguage('en')} /> English
        </label>
        <label class="toggle" lang="ar">
          <input type="radio" name="language" checked={lang.value === 'ar'} onChange={() => chooseLanguage('ar')} /> العربية
        </label>
      </fieldset>
      <button type="button" class="quiet" onClick={() => void signOut().then(() => navigate('/'))}>
        {t('auth.signOut')}
      </button>
    </section>
  );
}
