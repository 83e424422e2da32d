/**
 * The staff device pages (gate, locker, rental desk): full-screen pages for a tablet or a phone at
 * a turnstile or a counter, on the visitor app's stack (same build, language and formats) but
 * without its navigation. main.tsx shows them for their paths.
 */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { lang, setLang, t } from '../i18n.js';
import { loadCatalog } from '../catalog.js';
import { path } from '../router.js';
import { online } from '../session.js';
import { DeskPage } from './desk/desk-page.js';
import { GatePage } from './gate/gate-page.js';
import { LockerPage } from './locker/locker-page.js';
import { st } from './staff-messages.js';
import './staff.css';

/** The staff page a path shows, or null for the visitor app's paths. */
export function staffPageOf(pathname: string): 'gate' | 'locker' | 'desk' | null {
  const first = pathname.split('/').filter((part) => part !== '')[0];
  return first === 'gate' || first === 'locker' || first === 'desk' ? first : null;
}

/** The frame of a staff page: its title, a status on the side, the language switch. */
export function StaffFrame(props: { title: string; status?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · ${t('app.name')}`;
  }, [props.title, lang.value]);
  return (
    <div class="staff">
      <header class="staff-top">
        <h1>{props.title}</h1>
        <div class="staff-status">{props.status}</div>
        <button type="button" class="lang quiet small" lang={lang.value === 'ar' ? 'en' : 'ar'} title={t('lang.switchLabel')} onClick={() => setLang(lang.value === 'ar' ? 'en' : 'ar')}>
          {t('lang.switch')}
        </button>
      </header>
      <main id="main" class="staff-main">
        {props.children}
      </main>
    </div>
  );
}

/** Whether the page's socket is up: its lists follow the hub live, or catch up once it is back. */
export function LiveStatus() {
  const link = online.value ? 'online' : 'connecting';
  return (
    <span class={`pill ${link}`} data-link={link}>
      {st(link === 'online' ? 'staff.online' : 'staff.connecting')}
    </span>
  );
}

/** The staff pages. */
export function StaffApp() {
  useEffect(() => void loadCatalog(), []);
  switch (staffPageOf(path.value)) {
    case 'locker':
      return <LockerPage />;
    case 'desk':
      return <DeskPage />;
    default:
      return <GatePage />;
  }
}

/** A refusal or a message in a page's words. */
export function Problem(props: { text: string }) {
  return props.text === '' ? null : (
    <p class="error" role="alert">
      {props.text}
    </p>
  );
}

export { st };
