/**
 * `npm start`: one Venue Hub node. Reads configuration once, refuses to start on a bad value or a
 * missing native engine, opens the store, starts the actor runtime and the hub (sockets + HTTP on
 * one port, the Redis adapter when REDIS_URL is set), and drains in order on SIGTERM / SIGINT:
 *
 *   hub.drain()     stop accepting, finish in-flight events, tell clients to reconnect, close sockets
 *   runtime.stop()  stop timer jobs, let host commands commit, stop the relay, close the store
 *   redis.close()   the adapter's connections, last (the drain may still broadcast through them)
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../workers/logger.js';
import { openStores } from '../workers/open-store.js';
import { startRuntime } from '../workers/runtime.js';
import { loadOrCreateKeyRing } from './auth/keys.js';
import { createTokenService } from './auth/tokens.js';
import { formatConfigProblems, loadConfig } from './config.js';
import { seedDemoVenue } from './demo-seed.js';
import { loadUwsOrRefuse } from './engine.js';
import { connectRedisAdapter } from './redis.js';
import type { RedisAdapterHandle } from './redis.js';
import { createHubServer } from './server.js';

const loaded = loadConfig(process.env, { hostname: hostname(), pid: process.pid });
if (!loaded.ok) {
  process.stderr.write(formatConfigProblems(loaded.problems) + '\n');
  process.exit(78);
}
const config = loaded.config;
const log = createLogger({ level: config.LOG_LEVEL, base: { node: config.NODE_ID } });

const engine = config.SOCKET_ENGINE === 'uws' ? loadUwsOrRefuse() : undefined;
if (engine && !engine.ok) {
  log.error(engine.message, { code: engine.code });
  process.exit(1);
}

const keyRing = await loadOrCreateKeyRing({ dataDir: config.DATA_DIR, privateJwks: config.JWT_PRIVATE_KEYS });
const tokens = createTokenService({
  keyRing,
  issuer: config.TOKEN_ISSUER,
  accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  deviceTtlSeconds: config.DEVICE_TOKEN_TTL_SECONDS,
});

let redis: RedisAdapterHandle | undefined;
if (config.REDIS_URL !== undefined) {
  redis = await connectRedisAdapter(config.REDIS_URL, log.child({ part: 'redis' })).catch((error: unknown) => {
    log.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

const stores = await openStores(
  config.STORE === 'mongo' && config.MONGO_URL ? { kind: 'mongo', url: config.MONGO_URL } : { kind: 'sqlite', dataDir: config.DATA_DIR },
);
const runtime = await startRuntime({
  store: stores.store,
  jobsBackend: stores.jobsBackend,
  log,
  timings: {
    holdMs: config.HOLD_MINUTES * 60_000,
    reviewMs: config.REVIEW_HOURS * 3_600_000,
    paymentMs: config.PAYMENT_MINUTES * 60_000,
  },
  timerPollMs: config.TIMER_POLL_MS,
});
if (config.SEED_DEMO) await seedDemoVenue(runtime, log);

const webDir = fileURLToPath(new URL('../clients/web/', import.meta.url));
const hub = await createHubServer({
  config,
  runtime,
  tokens,
  keys: keyRing,
  log: log.child({ part: 'hub' }),
  ...(redis === undefined ? {} : { adapter: redis.adapter }),
  ...(existsSync(webDir) ? { staticDir: webDir } : {}),
});

const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${hub.port}`;
log.info(`Venue Hub listening on ${url}`, {
  node: config.NODE_ID,
  store: stores.description,
  engine: config.SOCKET_ENGINE,
  fanout: redis === undefined ? 'in-process' : 'redis',
});
if (config.SEED_DEMO) await printDemoTokens(url);

/** Demo credentials for the seeded venue, valid for 8 hours, so someone can connect right away. */
async function printDemoTokens(hubUrl: string): Promise<void> {
  const demo = createTokenService({ keyRing, issuer: config.TOKEN_ISSUER, accessTtlSeconds: 8 * 3600 });
  const admin = await demo.issueAccessToken({ sub: 'demo-admin', role: 'super_admin' });
  const visitor = await demo.issueAccessToken({ sub: 'demo-visitor', role: 'visitor' });
  process.stdout.write(
    [
      '',
      `Demo tokens for ${hubUrl} (SEED_DEMO=true; valid 8 hours; pass as socket.io auth.token):`,
      `  super_admin demo-admin:    ${admin.token}`,
      `  visitor     demo-visitor:  ${visitor.token}`,
      '',
    ].join('\n') + '\n',
  );
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('draining', { signal });
  try {
    const report = await hub.drain();
    await runtime.stop();
    await redis?.close();
    log.info('stopped', { ...report });
    process.exit(0);
  } catch (error) {
    log.error('shutdown failed', { error: String(error) });
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
