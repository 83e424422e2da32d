/**
 * Web Push on this device: the service worker (public/sw.js) subscribes with the hub's VAPID key
 * and the subscription is given to the hub, which pushes booking news to it.
 */
import { PushSubscriptionInput } from '../../../machines/contract/accounts.js';
import { api, signedInCall } from './session.js';

/** Why push cannot be turned on here (a message key), or null once subscribed. */
export type PushProblem = 'account.pushUnsupported' | 'account.pushDenied' | 'account.pushFailed';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Set by the build (vite.config.ts): true in built pages, false on Vite's dev server. */
declare const __SERVICE_WORKER__: boolean;

/** Registers the service worker (built pages; Vite's dev server has none). */
export function registerServiceWorker(): void {
  if (!__SERVICE_WORKER__ || !('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.register('/sw.js').catch(() => {});
}

/** Subscribes this device to push and tells the hub; null when done. */
export async function enablePush(): Promise<PushProblem | null> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'account.pushUnsupported';
  if ((await Notification.requestPermission()) !== 'granted') return 'account.pushDenied';
  try {
    const registration = await navigator.serviceWorker.ready;
    const key = await api.vapidKey();
    if (!key.ok) return 'account.pushFailed';
    const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.data.publicKey) }));
    // What the browser hands over, read by the contract's schema before it goes to the hub.
    const body = PushSubscriptionInput.safeParse(subscription.toJSON());
    if (!body.success) return 'account.pushFailed';
    const saved = await signedInCall((token) => api.subscribePush(body.data, token));
    return saved.ok ? null : 'account.pushFailed';
  } catch {
    return 'account.pushFailed';
  }
}

/** Ends this device's subscription here and on the hub. */
export async function disablePush(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await signedInCall((token) => api.unsubscribePush(subscription.endpoint, token));
  await subscription.unsubscribe();
}
