/**
 * The web pages' build (Vite). `npm start` builds into clients/web/dist when the sources are newer
 * than the last build (clients/web/build.ts); `npm run dev` serves the sources with hot reload and
 * sends API, socket and payment requests to a hub that is already running (HUB_URL, default
 * http://localhost:8080).
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const hub = process.env['HUB_URL'] ?? 'http://localhost:8080';

export default defineConfig(({ command }) => ({
  root,
  // Built pages register the service worker (offline tickets, push); the dev server's do not.
  define: { __SERVICE_WORKER__: JSON.stringify(command === 'build') },
  publicDir: 'public',
  // Relative asset URLs would break under /bookings/:id; the pages are always served from /.
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, reportCompressedSize: false },
  server: {
    proxy: {
      '/api': hub,
      '/pay': hub,
      '/webhooks': hub,
      '/mailbox': hub,
      '/.well-known': hub,
      '/socket.io': { target: hub, ws: true },
    },
  },
}));
