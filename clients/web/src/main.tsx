/**
 * The web app's entry: language first (so the first paint is in the right direction), then the
 * pages: the admin console under /admin, the staff device pages (/gate, /locker, /desk) and the
 * kitchen display (/kitchen), each loaded on its own so visitors never download them, the visitor
 * app everywhere else.
 */
import { render } from 'preact';
import { App } from './app.js';
import { applyToDocument } from './i18n.js';
import { registerServiceWorker } from './push.js';
import { loadAccount } from './session.js';
import { isStaffPath } from './staff-paths.js';
import './styles.css';

applyToDocument();
registerServiceWorker();
void loadAccount();
const root = document.getElementById('app');
if (root && (location.pathname === '/admin' || location.pathname.startsWith('/admin/'))) {
  void import('./admin/app.js').then(({ AdminApp }) => render(<AdminApp />, root));
} else if (root && isStaffPath(location.pathname)) {
  void import('./staff/staff-app.js').then(({ StaffApp }) => render(<StaffApp />, root));
} else if (root && location.pathname === '/kitchen') {
  void import('./kitchen/app.js').then(({ KitchenApp }) => render(<KitchenApp />, root));
} else if (root) render(<App />, root);
