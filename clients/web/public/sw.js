// The visitor app's service worker: the app works offline (tickets stay on the phone) and Web Push
// notifications show and open the booking. Pages always come from the network when there is one;
// offline, the last app page and its assets answer, and the pages show what they kept.
const CACHE = 'venue-hub-app';
const LIVE = ['/api/', '/socket.io/', '/pay/', '/webhooks/', '/mailbox', '/admin-ui/', '/.well-known/'];

async function cacheAppShell() {
  const cache = await caches.open(CACHE);
  const page = await fetch('/', { cache: 'no-store' });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put('/', page);
  const assets = [...html.matchAll(/(?:src|href)="(\/(?:assets\/[^"]+|icon\.svg|manifest\.webmanifest))"/g)].map((m) => m[1]);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheAppShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || LIVE.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    // Network first; the app routes by path, so any page falls back to the kept app page.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put('/', copy));
          }
          return response;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  // Assets have content hashes in their names: the kept copy is always right.
  event.respondWith(
    caches.match(request).then(
      (kept) =>
        kept ??
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});

self.addEventListener('push', (event) => {
  let message = { title: 'Venue Hub', body: '' };
  try {
    message = { ...message, ...event.data.json() };
  } catch {
    // A push without a JSON body still shows the app's name.
  }
  // The hub writes in the person's language: Arabic reads right to left on the device too.
  const lang = message.lang === 'ar' ? 'ar' : message.lang === 'en' ? 'en' : '';
  const dir = lang === 'ar' ? 'rtl' : lang === 'en' ? 'ltr' : 'auto';
  event.waitUntil(self.registration.showNotification(message.title, { body: message.body, tag: message.tag, lang, dir, icon: '/icon.svg', data: { url: message.url ?? '/' } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/', self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === target.origin);
      return open ? open.navigate(target.href).then((w) => w?.focus()) : self.clients.openWindow(target.href);
    }),
  );
});
