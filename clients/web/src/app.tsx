/** The frame every visitor page shares: header with navigation and language, live alerts, the page. */
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { NotificationAlert } from '../../../machines/contract/notification-alert.js';
import { lang, t } from './i18n.js';
import { en } from './messages.js';
import type { MessageKey } from './messages.js';
import { navigate, path, routeOf } from './router.js';
import { account, chooseLanguage, hub, online } from './session.js';
import { AccountPage } from './views/account.js';
import { ActivityPage } from './views/activity.js';
import { BookingPage } from './views/booking.js';
import { BookingsPage } from './views/bookings.js';
import { HomePage } from './views/home.js';
import { SignInPage, VerifyLinkPage } from './views/sign-in.js';
import { FoodOrderPage, VisitFoodPage } from './views/visit-food.js';

/** In-app alerts shown at the top until dismissed. */
const alerts = signal<NotificationAlert[]>([]);

/**
 * Whether two alerts tell where the same booking stands: the newer replaces the older (held, then
 * under review, then approved), so the top of the page does not fill with a booking's history.
 * Food news stands on its own.
 */
function sameBookingNews(a: NotificationAlert, b: NotificationAlert): boolean {
  const status = (alert: NotificationAlert) => alert.template.startsWith('booking.') || alert.template.startsWith('payment.');
  return a.bookingId !== undefined && a.bookingId === b.bookingId && status(a) && status(b);
}

/** A same-origin link that changes the page without a reload. */
export function Link(props: { href: string; id?: string; class?: string; children: ComponentChildren; 'aria-label'?: string }) {
  return (
    <a
      href={props.href}
      id={props.id}
      class={props.class}
      aria-label={props['aria-label']}
      aria-current={path.value === props.href ? 'page' : undefined}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

function Header() {
  const signedIn = account.value !== null;
  return (
    <header class="top">
      <Link href="/" class="brand">
        <img src="/icon.svg" alt="" width="28" height="28" />
        <span>{t('app.name')}</span>
      </Link>
      <nav aria-label={t('nav.main')}>
        <Link href="/">{t('nav.activities')}</Link>
        {signedIn ? <Link href="/bookings">{t('nav.bookings')}</Link> : null}
        {signedIn ? <Link href="/account">{t('nav.account')}</Link> : <Link href="/sign-in">{t('nav.signIn')}</Link>}
      </nav>
      <button type="button" class="lang" lang={lang.value === 'ar' ? 'en' : 'ar'} title={t('lang.switchLabel')} onClick={() => chooseLanguage(lang.value === 'ar' ? 'en' : 'ar')}>
        {t('lang.switch')}
      </button>
    </header>
  );
}

/** Arabic letters: the hub wrote the alert in Arabic. */
const ARABIC = /[\u0600-\u06ff]/;

/**
 * An alert's words: the hub writes them in the account's language with the booking's details
 * (the app keeps that language in step with the pages). An alert written before a switch to
 * Arabic is told in the app's own words (by its template); the hub's text otherwise.
 */
function alertText(alert: NotificationAlert): { title: string; body: string } {
  const key = `alert.${alert.template}.title`;
  if (lang.value === 'en' || ARABIC.test(alert.title) || !(key in en)) return { title: alert.title, body: alert.body };
  return { title: t(key as MessageKey), body: t(`alert.${alert.template}.body` as MessageKey) };
}

function Alerts() {
  if (alerts.value.length === 0) return null;
  return (
    <section class="alerts" aria-live="polite">
      {alerts.value.map((alert) => (
        <div class="alert" key={alert.id} data-template={alert.template}>
          <strong>{alertText(alert).title}</strong> <span>{alertText(alert).body}</span>
          {alert.bookingId ? (
            <>
              {' '}
              <Link href={`/bookings/${encodeURIComponent(alert.bookingId)}`}>{t('booking.title')}</Link>
            </>
          ) : alert.template === 'food.ready' && alert.url !== undefined ? (
            <>
              {' '}
              <Link href={new URL(alert.url, location.origin).pathname}>{t('alert.foodOrder')}</Link>
            </>
          ) : null}
          <button type="button" class="quiet small" onClick={() => (alerts.value = alerts.value.filter((a) => a.id !== alert.id))}>
            {t('alert.dismiss')}
          </button>
        </div>
      ))}
    </section>
  );
}

function Page() {
  const route = routeOf(path.value);
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'activity':
      return <ActivityPage activityId={route.activityId} />;
    case 'sign-in':
      return <SignInPage />;
    case 'verify':
      return <VerifyLinkPage />;
    case 'bookings':
      return <BookingsPage />;
    case 'booking':
      return <BookingPage bookingId={route.bookingId} />;
    case 'visit-food':
      return <VisitFoodPage bookingId={route.bookingId} />;
    case 'food-order':
      return <FoodOrderPage orderId={route.orderId} />;
    case 'account':
      return <AccountPage />;
    case 'not-found':
      return <HomePage />;
  }
}

/** The whole app. */
export function App() {
  const userId = account.value?.userId;
  // Alerts come on the socket of the signed-in person.
  useEffect(() => {
    if (userId === undefined) return;
    return hub().onAlert((alert) => (alerts.value = [alert, ...alerts.value.filter((a) => !sameBookingNews(a, alert))].slice(0, 3)));
  }, [userId]);
  return (
    <>
      <Header />
      {online.value ? null : (
        <p class="offline" role="status">
          {t('common.offline')}
        </p>
      )}
      <Alerts />
      <main id="main">
        <Page />
      </main>
    </>
  );
}
