/**
 * The admin console at /admin: staff sign in with an emailed code, then see the sections the
 * policy table gives their role (GET /api/me/permissions). A section the role may not see is not
 * linked and does not open; the hub refuses its calls anyway.
 */
import { useEffect } from 'preact/hooks';
import { lang } from '../i18n.js';
import { navigate, path } from '../router.js';
import { account, chooseLanguage, hasSession, online, signOut } from '../session.js';
import { access, accessProblem, can, loadAccess, STAFF_ROLES } from './access.js';
import { BookingDetailPage, BookingsSearchPage } from './bookings.js';
import { DashboardPage } from './dashboard.js';
import { AdminLink } from './link.js';
import { ta, taOr } from './messages.js';
import { adminRoute, SECTIONS } from './nav.js';
import { ReviewsPage } from './reviews.js';
import { AdminSignIn } from './sign-in.js';
import { MenuPage } from './menu.js';
import { ReportPage, TransactionsPage } from './money.js';
import { AuditPage, DevicesPage, StaffPage, SupportPage } from './people.js';
import './admin.css';

function Header() {
  const signedIn = access.value !== null;
  return (
    <header class="top admin-top">
      <AdminLink href="/admin" class="brand">
        <img src="/icon.svg" alt="" width="28" height="28" />
        <span>{ta('app.name')}</span>
      </AdminLink>
      {signedIn ? (
        <nav aria-label={ta('nav.main')}>
          {SECTIONS.filter((section) => can(section.action)).map((section) => (
            <AdminLink key={section.id} href={`/admin/${section.id}`} id={`nav-${section.id}`}>
              {ta(section.label)}
            </AdminLink>
          ))}
        </nav>
      ) : (
        <span class="spacer" />
      )}
      <button type="button" class="lang" lang={lang.value === 'ar' ? 'en' : 'ar'} title={ta('lang.switchLabel')} onClick={() => chooseLanguage(lang.value === 'ar' ? 'en' : 'ar')}>
        {ta('lang.switch')}
      </button>
      {signedIn ? (
        <button type="button" class="quiet small" id="sign-out" onClick={() => void signOut().then(() => (access.value = null))}>
          {ta('nav.signOut')}
        </button>
      ) : null}
    </header>
  );
}

function Section() {
  const { section, id } = adminRoute(path.value);
  const first = SECTIONS.find((s) => can(s.action));
  const chosen = SECTIONS.find((s) => s.id === section);
  // /admin, an unknown section or one the role may not see: the first section it may.
  useEffect(() => {
    if (first && (chosen === undefined || !can(chosen.action))) navigate(`/admin/${first.id}`, { replace: true });
  }, [section, first?.id]);
  if (!chosen || !can(chosen.action)) return null;
  switch (chosen.id) {
    case 'dashboard':
      return <DashboardPage />;
    case 'reviews':
      return <ReviewsPage />;
    case 'bookings':
      return id === undefined ? <BookingsSearchPage /> : <BookingDetailPage bookingId={id} />;
    case 'transactions':
      return <TransactionsPage />;
    case 'report':
      return <ReportPage />;
    case 'menu':
      return <MenuPage />;
    case 'audit':
      return <AuditPage />;
    case 'staff':
      return <StaffPage />;
    case 'devices':
      return <DevicesPage />;
    case 'support':
      return <SupportPage />;
  }
}

/** The console. */
export function AdminApp() {
  useEffect(() => {
    document.title = ta('app.name');
  }, [lang.value]);
  useEffect(() => void loadAccess(), []);
  const signedIn = access.value !== null;
  const staff = signedIn && STAFF_ROLES.includes(access.value?.role ?? '');
  return (
    <>
      <Header />
      {online.value ? null : (
        <p class="offline" role="status">
          {ta('common.offline')}
        </p>
      )}
      <main id="main" class="admin">
        {signedIn ? (
          staff ? (
            <>
              <p class="who" id="who" data-role={access.value?.role}>
                {ta('signIn.as', { name: account.value?.name ?? '', role: taOr('role', access.value?.role ?? '') })}
              </p>
              <Section />
            </>
          ) : (
            <p class="error" role="alert" id="no-access">
              {ta('signIn.noAccess', { role: taOr('role', access.value?.role ?? '') })}
            </p>
          )
        ) : hasSession() && accessProblem.value === '' ? (
          <p>{ta('common.loading')}</p>
        ) : (
          <AdminSignIn />
        )}
      </main>
    </>
  );
}
