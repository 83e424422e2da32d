/** The visitor app's entry: language first (so the first paint is in the right direction), then the pages. */
import { render } from 'preact';
import { App } from './app.js';
import { applyToDocument } from './i18n.js';
import { registerServiceWorker } from './push.js';
import { loadAccount } from './session.js';
import './styles.css';

applyToDocument();
registerServiceWorker();
void loadAccount();
const root = document.getElementById('app');
if (root) render(<App />, root);
