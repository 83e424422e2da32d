/**
 * The visitor's session on this device: tokens kept in localStorage (the booking links in emails
 * open signed in), the HTTP API and one socket connection shared by every page. Access tokens are
 * short-lived: they are refreshed before they run out, and the socket asks for a fresh one on
 * every handshake.
 */
import { signal } from '@preact/signals';
import { connectHub, createHubApi } from '../../sdk/index.js';
import type { HubAccount, HubClient, HubResult, SignedIn } from '../../sdk/index.js';
import { lang, setLang } from './i18n.js';
import type { Lang } from './i18n.js';
import { forgetKept, keep, kept } from './kept.js';

const KEYS = { access: 'vh.access', accessExpiresAt: 'vh.accessExpiresAt', refresh: 'vh.refresh' } as const;
/** A signed-out visitor's guest session (the public feeds: the menu), kept until it runs out. */
const GUEST_KEYS = { token: 'vh.guest', expiresAt: 'vh.guestExpiresAt' } as const;
/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;

/** The hub's HTTP API (same origin). */
export const api = createHubApi({ url: location.origin });

/** The signed-in person (as last known on this device, so pages open offline); null when signed out. */
export const account = signal<HubAccount | null>(kept<HubAccount>('account'));
/** True while the socket is connected (or no socket is needed). */
export const online = signal(true);

let refreshing: Promise<string | null> | undefined;
let client: HubClient | undefined;
let guestClient: HubClient | undefined;
let guestOpening: Promise<string> | undefined;

/** Keeps the tokens of a sign-in and the account. */
export function keepSession(signedIn: SignedIn): void {
  // Signed in: the pages follow the menu on the person's own socket from now on.
  guestClient?.close();
  guestClient = undefined;
  localStorage.setItem(KEYS.access, signedIn.accessToken);
  localStorage.setItem(KEYS.accessExpiresAt, String(signedIn.accessExpiresAt));
  localStorage.setItem(KEYS.refresh, signedIn.refreshToken);
  setAccount(signedIn.account);
}

/** The account as the hub answered it, kept for offline use. */
export function setAccount(value: HubAccount): void {
  account.value = value;
  keep('account', value);
}

/**
 * Switches the pages' language and, when someone is signed in, the language of the messages the
 * hub sends them (PATCH /api/me/language), so the next email, SMS, push or alert matches.
 */
export function chooseLanguage(language: Lang): void {
  setLang(language);
  if (hasSession()) void syncLanguage();
}

/** Tells the hub the language shown now, when the account's differs (after a sign-in or a switch). */
export async function syncLanguage(): Promise<void> {
  const language = lang.value;
  if (account.value?.language === language) return;
  const answer = await signedInCall((token) => api.language(language, token));
  if (answer.ok) setAccount(answer.data);
}

/** True when this device holds a session (it may still need refreshing). */
export function hasSession(): boolean {
  return localStorage.getItem(KEYS.refresh) !== null || localStorage.getItem(KEYS.access) !== null;
}

/** A valid access token, refreshed when close to expiry; null when signed out. */
export async function accessToken(): Promise<string | null> {
  const access = localStorage.getItem(KEYS.access);
  const expiresAt = Number(localStorage.getItem(KEYS.accessExpiresAt) ?? 0);
  if (access !== null && expiresAt - REFRESH_AHEAD_MS > Date.now()) return access;
  const refresh = localStorage.getItem(KEYS.refresh);
  if (refresh === null) return access;
  refreshing ??= api.refresh(refresh).then((answer) => {
    refreshing = undefined;
    if (!answer.ok) {
      // A refused refresh (expired, revoked) ends the session; a network failure keeps it for later.
      if (!answer.code.startsWith('client.')) forgetSession();
      return answer.code.startsWith('client.') ? access : null;
    }
    localStorage.setItem(KEYS.access, answer.data.accessToken);
    localStorage.setItem(KEYS.accessExpiresAt, String(answer.data.accessExpiresAt));
    localStorage.setItem(KEYS.refresh, answer.data.refreshToken);
    return answer.data.accessToken;
  });
  return refreshing;
}

/** Runs a signed-in call; answers `auth.missing` when there is no session. */
export async function signedInCall<T>(call: (token: string) => Promise<HubResult<T>>): Promise<HubResult<T>> {
  const token = await accessToken();
  if (token === null) return { ok: false, code: 'auth.missing', message: 'sign in first' };
  return call(token);
}

/** Loads the account of the kept session (after a page load). */
export async function loadAccount(): Promise<void> {
  if (!hasSession()) return;
  const me = await signedInCall((token) => api.me(token));
  if (me.ok) setAccount(me.data);
}

/** A guest session's token: the kept one while it lasts, else a new one (POST /api/auth/guest). */
async function guestToken(): Promise<string> {
  const kept = localStorage.getItem(GUEST_KEYS.token);
  const expiresAt = Number(localStorage.getItem(GUEST_KEYS.expiresAt) ?? 0);
  if (kept !== null && expiresAt - REFRESH_AHEAD_MS > Date.now()) return kept;
  guestOpening ??= api.guestSession().then((answer) => {
    guestOpening = undefined;
    if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
    localStorage.setItem(GUEST_KEYS.token, answer.data.accessToken);
    localStorage.setItem(GUEST_KEYS.expiresAt, String(answer.data.accessExpiresAt));
    return answer.data.accessToken;
  });
  return guestOpening;
}

/**
 * The socket of a signed-out visitor's pages (opened on first use): a guest session, which the
 * role policy lets follow the menu live and nothing else. Closed when the person signs in.
 */
export function publicHub(): HubClient {
  if (guestClient) return guestClient;
  const opened = connectHub({ url: location.origin, token: guestToken });
  void opened.ended.then(() => {
    if (guestClient === opened) guestClient = undefined;
  });
  guestClient = opened;
  return opened;
}

/** The socket connection of the signed-in person (opened on first use). */
export function hub(): HubClient {
  if (client) return client;
  const opened = connectHub({ url: location.origin, token: async () => (await accessToken()) ?? '' });
  opened.onStatus((status) => (online.value = status === 'connected'));
  void opened.ended.then(() => {
    if (client === opened) client = undefined;
    online.value = true;
  });
  client = opened;
  return opened;
}

/** True when a socket is open. */
export function hasHub(): boolean {
  return client !== undefined;
}

/** Drops the kept tokens and closes the socket. */
export function forgetSession(): void {
  for (const key of Object.values(KEYS)) localStorage.removeItem(key);
  forgetKept();
  account.value = null;
  client?.close();
  client = undefined;
}

/** Signs out here and on the hub. */
export async function signOut(): Promise<void> {
  const refreshToken = localStorage.getItem(KEYS.refresh);
  if (refreshToken !== null) await api.signOut({ refreshToken });
  forgetSession();
}
