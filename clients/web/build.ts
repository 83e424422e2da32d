/**
 * Builds the web pages into clients/web/dist when their sources are newer than the last build,
 * so `npm start` and `npm test` always serve what the sources say without a second command.
 *
 *   node --import tsx clients/web/build.ts            build if stale (prints one progress line)
 *   node --import tsx clients/web/build.ts --force    build now
 *
 * "Sources" are the pages (clients/web: index.html, src, public, vite.config.ts) and what they
 * import from the SDK, the device library (the gate page's offline judging) and the wire contract; the build leaves a stamp file whose time is compared.
 * Two processes asking at once (test files in parallel) build once: the second waits on a lock.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = join(WEB, '..', '..');
/** The folder the hub serves. */
export const WEB_DIST = join(WEB, 'dist');
const STAMP = join(WEB_DIST, '.built');
const LOCK = join(WEB, '.build-lock');
const SOURCES = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'src'), join(WEB, 'public'), join(ROOT, 'clients', 'sdk'), join(ROOT, 'clients', 'devices'), join(ROOT, 'machines', 'contract'), join(ROOT, 'machines', 'errors.ts'), join(ROOT, 'package-lock.json')];

/** The newest modification time under `path` (0 when missing). */
function newest(path: string): number {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

/** True when the build is missing or older than a source. */
export function webBuildIsStale(): boolean {
  const built = newest(STAMP);
  return built === 0 || SOURCES.some((source) => newest(source) > built);
}

async function takeLock(): Promise<() => void> {
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // Another process builds; a lock older than two minutes is left over from a killed build.
      const age = Date.now() - newest(LOCK);
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Builds the pages if stale (or always with `force`); `say` gets the progress line. */
export async function ensureWebBuilt(options: { force?: boolean; say?: (line: string) => void } = {}): Promise<{ built: boolean; ms: number }> {
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (!options.force && !webBuildIsStale()) return { built: false, ms: 0 };
  const release = await takeLock();
  try {
    // Someone else may have built it while this process waited for the lock.
    if (!options.force && !webBuildIsStale()) return { built: false, ms: 0 };
    const started = Date.now();
    say('web: building the pages (clients/web → clients/web/dist), the sources changed since the last build …');
    const { build } = await import('vite');
    // A production build whoever asks (vitest sets NODE_ENV=test, which Vite would follow).
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = nodeEnv;
    }
    writeFileSync(STAMP, new Date().toISOString());
    const ms = Date.now() - started;
    say(`web: pages built in ${(ms / 1000).toFixed(1)} s`);
    return { built: true, ms };
  } finally {
    release();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureWebBuilt({ force: process.argv.includes('--force') }).catch((error: unknown) => {
    process.stderr.write(`web: the build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
