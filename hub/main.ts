/**
 * `npm start`: one Venue Hub node. Reads configuration once, refuses to start on a bad value
 * or a missing native engine, opens the store, starts the actor runtime and the HTTP edge,
 * and drains in order on SIGTERM / SIGINT.
 */
import { hostname } from 'node:os';
import { createLogger } from '../workers/logger.js';
import { openStores } from '../workers/open-store.js';
import { startRuntime } from '../workers/runtime.js';
import { formatConfigProblems, loadConfig } from './config.js';
import { seedDemoVenue } from './demo-seed.js';
import { loadUwsOrRefuse } from './engine.js';
import { startHttpEdge } from './http-edge.js';

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

const edge = await startHttpEdge({ host: config.HOST, port: config.PORT, runtime, log });
log.info(`Venue Hub listening on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${edge.port}`, {
  store: stores.description,
  engine: config.SOCKET_ENGINE,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('draining', { signal });
  edge.close();
  await runtime.stop();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
