/**
 * The worker process of the scaled deployment: no sockets, no HTTP. It runs actors beside the hub
 * nodes (durable timers, outbox relay, sweepers) on the shared store, and publishes the change
 * notices of its own commits (timer firings: expiries, deadlines) to the socket rooms of every hub
 * node through Redis. Reads the same configuration as a hub node; REDIS_URL is required.
 *
 *   store ◀─▶ node services (timers, relay, tickets, notifications, payments, sweepers)
 *               ──outbound messages──▶ Redis publisher ──▶ hub nodes ──▶ sockets   (alerts, unlocks, occupancy too)
 *
 * SIGTERM / SIGINT: stop taking timer jobs, let in-flight commits finish and publish, close the
 * store, then Redis.
 */
import { hostname } from 'node:os';
import { connectRedisPublisher, closeRedisPublisher } from '../workers/fanout/redis-publisher-connection.js';
import { createRedisPublisher } from '../workers/fanout/redis-publisher.js';
import { publishRuntime } from '../workers/fanout/publish-runtime.js';
import { createChangeBus } from '../workers/actors/change-bus.js';
import { createLogger } from '../workers/logger.js';
import { feedDefinitionsOf } from '../workers/runtime.js';
import { formatConfigProblems, loadConfig, secretVariables } from './config.js';
import { nativeUwsAvailable } from './engine.js';
import { assertPortFree } from './listen.js';
import { createRuntimeMetrics } from './metrics.js';
import { startNodeServices } from './node-services.js';
import { startWorkerHealth } from './worker-health.js';
import { VENUE_MODULES } from './modules/index.js';
import { paymentsModule } from './modules/payments/index.js';
import { envSections } from './modules/node-part.js';

const sections = envSections(VENUE_MODULES);
const loaded = loadConfig(process.env, { hostname: hostname(), pid: process.pid, role: 'worker', nativeUws: nativeUwsAvailable() }, sections);
if (!loaded.ok) {
  process.stderr.write(formatConfigProblems(loaded.problems) + '\n');
  process.exit(78);
}
const { config, settings } = loaded;
if (config.REDIS_URL === undefined) {
  const problem = 'REDIS_URL is not set: a worker publishes change notices to the hub nodes through Redis, e.g. REDIS_URL=redis://localhost:6379';
  process.stderr.write(formatConfigProblems([problem]) + '\n');
  process.exit(78);
}
const log = createLogger({ level: config.LOG_LEVEL, json: config.LOG_FORMAT === 'json', base: { node: config.NODE_ID, role: 'worker' }, redact: secretVariables(sections) });

const cannotStart = (error: unknown): never => {
  log.error(`Venue Hub worker cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
await assertPortFree({ host: config.HOST, port: config.WORKER_PORT }).catch(cannotStart);
const redis = await connectRedisPublisher(config.REDIS_URL, log).catch((error: unknown) => {
  log.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
// Subscribed before the runtime starts, so notices of timers fired during start-up are published too.
const publisher = createRedisPublisher({ redis, log: log.child({ part: 'fanout' }) });
const bus = createChangeBus((error) => log.error('change listener failed', { error: String(error) }));
const stopChanges = publishRuntime({ bus, feeds: feedDefinitionsOf(VENUE_MODULES) }, publisher);
const metrics = createRuntimeMetrics();
const stopWatching = metrics.watch(bus);
const services = await startNodeServices({ config, settings, log, bus, modules: VENUE_MODULES, observer: metrics, role: 'worker', publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` });
if (services.runtime.projector) metrics.watchProjections(services.runtime.projector);
const health = await startWorkerHealth({
  host: config.HOST,
  port: config.WORKER_PORT,
  probeStore: () => services.runtime.access.probe(),
  metrics,
}).catch(async (error: unknown) => {
  await services.stop();
  return cannotStart(error);
});
const stopOthers = services.runtime.publishTo(publisher, { changes: false });
log.info('worker ready', { store: services.stores.description, payments: services.lent(paymentsModule).gateway.provider, health: `http://${config.HOST}:${health.port}` });
// One machine-readable line, whatever LOG_LEVEL says, for process supervisors and test harnesses.
process.stdout.write(JSON.stringify({ event: 'worker.ready', healthUrl: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${health.port}`, nodeId: config.NODE_ID, pid: process.pid }) + '\n');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  health.markStopping();
  await services.stop(); // commits still in flight publish their notices before Redis closes
  stopWatching();
  stopChanges();
  stopOthers();
  await closeRedisPublisher(redis);
  await health.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
