/**
 * `npm start`: one Venue Hub node. Reads configuration once, refuses to start on a bad value or a
 * missing native engine, starts the node's services (stores, actor runtime, accounts, catalog,
 * payments, tickets, notifications) and the hub (sockets + HTTP on one port, the Redis adapter
 * when REDIS_URL is set), and drains in order on SIGTERM / SIGINT:
 *
 *   hub.drain()       stop accepting, finish in-flight events, tell clients to reconnect, close sockets
 *   services.stop()   stop timer jobs, let host commands commit, stop the relay, close the stores
 *   redis.close()     the adapter's connections, last (the drain may still broadcast through them)
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../workers/logger.js';
import { loadOrCreateKeyRing } from './auth/keys.js';
import { createTokenService } from './auth/tokens.js';
import { formatConfigProblems, loadConfig, secretVariables } from './config.js';
import { seedDemoFloor, seedDemoPeople, seedDemoVenue } from './demo-seed.js';
import { loadUwsOrRefuse, nativeUwsAvailable } from './engine.js';
import { trustedProxies } from './http/client-address.js';
import { assertPortFree } from './listen.js';
import { createRuntimeMetrics } from './metrics.js';
import { startNodeServices } from './node-services.js';
import { connectRedisAdapter } from './redis.js';
import type { RedisAdapterHandle } from './redis.js';
import { createHubServer } from './server.js';
import { accountsModule } from './modules/accounts/index.js';
import { catalogModule } from './modules/catalog/index.js';
import { VENUE_MODULES } from './modules/index.js';
import { paymentsModule } from './modules/payments/index.js';
import { ticketsModule } from './modules/tickets/index.js';
import { envSections } from './modules/node-part.js';

const sections = envSections(VENUE_MODULES);
const loaded = loadConfig(process.env, { hostname: hostname(), pid: process.pid, nativeUws: nativeUwsAvailable() }, sections);
if (!loaded.ok) {
  process.stderr.write(formatConfigProblems(loaded.problems) + '\n');
  process.exit(78);
}
const { config, settings } = loaded;
const log = createLogger({ level: config.LOG_LEVEL, json: config.LOG_FORMAT === 'json', base: { node: config.NODE_ID }, redact: secretVariables(sections) });

const engine = config.SOCKET_ENGINE === 'uws' ? loadUwsOrRefuse() : undefined;
if (engine && !engine.ok) {
  log.error(engine.message, { code: engine.code });
  process.exit(1);
}
await assertPortFree({ host: config.HOST, port: config.PORT }).catch((error: unknown) => {
  log.error(`Venue Hub cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

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

const localUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
const runtimeMetrics = createRuntimeMetrics();
const services = await startNodeServices({ config, settings, log, modules: VENUE_MODULES, observer: runtimeMetrics, publicUrl: config.PUBLIC_URL ?? localUrl });
runtimeMetrics.watch(services.runtime.bus);
if (services.runtime.projector) runtimeMetrics.watchProjections(services.runtime.projector);
// A full node runs accounts and the catalog (their node parts wire them): the hub's holds and sign-in need both.
const accounts = services.runtime.service(accountsModule);
const catalog = services.runtime.service(catalogModule);
if (accounts === undefined || catalog === undefined) throw new Error('the accounts and catalog modules started without their wiring');
if (config.SEED_DEMO) {
  await seedDemoVenue({ catalog }, log);
  await seedDemoPeople(services.lent(accountsModule).store);
  await seedDemoFloor(services.runtime, log.child({ part: 'demo' }));
}
if (config.ADMIN_EMAIL) await accounts.bootstrapAdmin({ email: config.ADMIN_EMAIL, name: 'Administrator' });

// The built web pages (`npm start` builds clients/web into clients/web/dist when its sources changed).
const webDir = fileURLToPath(new URL('../clients/web/dist/', import.meta.url));
const hub = await createHubServer({
  runtimeMetrics,
  trustedProxies: trustedProxies(config.TRUSTED_PROXIES),
  ...(config.ADMIN_UI ? { adminUi: { serverId: config.NODE_ID } } : {}),
  config,
  runtime: services.runtime,
  accounts,
  catalog,
  tokens,
  keys: keyRing,
  ticketTokens: services.lent(ticketsModule).tokens,
  log: log.child({ part: 'hub' }),
  modules: VENUE_MODULES,
  node: {
    services,
    tokens,
    mailboxPage: config.DEV_MAILBOX,
    pushHosts: config.PUSH_SERVICE_HOSTS,
    ...(existsSync(webDir) ? { webDir } : {}),
    ...(redis === undefined ? {} : { redis: redis.client }),
  },
  ...(redis === undefined ? {} : { adapter: redis.adapter, fanout: redis }),
  ...(existsSync(webDir) ? { staticDir: webDir } : {}),
}).catch(async (error: unknown) => {
  // Most often the port is taken (another hub on it): stop what started, say so, exit.
  log.error(`Venue Hub cannot start: ${error instanceof Error ? error.message : String(error)}`);
  await services.stop();
  await redis?.close();
  process.exit(1);
});

const url = config.PORT === 0 ? localUrl.replace(/:0$/, `:${hub.port}`) : localUrl;
log.info(`Venue Hub listening on ${url}`, {
  node: config.NODE_ID,
  store: services.stores.description,
  engine: config.SOCKET_ENGINE,
  mode: config.HUB_MODE,
  fanout: redis === undefined ? 'in-process' : 'redis',
  payments: services.lent(paymentsModule).gateway.provider,
  mail: config.SMTP_URL !== undefined ? 'smtp' : config.DEV_MAILBOX ? `local mailbox at ${url}/mailbox (this machine only)` : 'not delivered (no SMTP_URL)',
});
if (config.SMTP_URL === undefined && !config.DEV_MAILBOX) {
  log.warn('no SMTP_URL: email and texts (sign-in codes, tickets) are kept in the store and not delivered; set SMTP_URL, or DEV_MAILBOX=true with HOST=127.0.0.1 to read them at /mailbox on this machine');
}
// One machine-readable line, whatever LOG_LEVEL says, for process supervisors and test harnesses.
process.stdout.write(JSON.stringify({ event: 'hub.ready', url, nodeId: config.NODE_ID, pid: process.pid }) + '\n');
if (config.SEED_DEMO) await printDemoTokens(url);

/** Demo credentials for the seeded venue, valid for 8 hours, so someone can connect right away. */
async function printDemoTokens(hubUrl: string): Promise<void> {
  const demo = createTokenService({ keyRing, issuer: config.TOKEN_ISSUER, accessTtlSeconds: 8 * 3600 });
  const admin = await demo.issueAccessToken({ sub: 'demo-admin', role: 'super_admin' });
  const visitor = await demo.issueAccessToken({ sub: 'demo-visitor', role: 'visitor' });
  process.stdout.write(
    [
      '',
      `Demo tokens for ${hubUrl} (SEED_DEMO=true; valid 8 hours; pass as socket.io auth.token or Authorization: Bearer):`,
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
    await services.stop();
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
