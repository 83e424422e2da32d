/**
 * Runs the hub's TypeScript sources in node: `node --import ./hub/loader/register.mjs hub/main.ts`.
 *
 * Each `.ts` file is transpiled on load by esbuild (types stripped, nothing bundled or renamed) and
 * relative `./x.js` imports find `./x.ts`, as TypeScript's NodeNext resolution writes them. Unlike
 * tsx, function names are not re-applied by a helper (esbuild's `keepNames`): nothing is renamed in
 * a per-file transform, and that helper's `Object.defineProperty(fn, 'name', …)` on every named
 * closure made each one cost about half a microsecond and 300 bytes more (measured in
 * `npm run bench:socket-memory`), on every socket and every command. Stack traces point into the
 * TypeScript sources (inline source maps).
 */
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./hooks.mjs', import.meta.url);
