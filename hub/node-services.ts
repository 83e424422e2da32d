/**
 * Everything one node runs besides its network edge: the node's core, then the modules of the list,
 * each bringing its own node part. Used by the hub's `main` and by the worker's, so both run the
 * same services the same way; nothing here names a module.
 *
 *   config ─▶ stores (actors, jobs, read models; one SQLite file or one Mongo database)
 *          ─▶ messaging (email: SMTP or the local mailbox; SMS: mailbox; Web Push with VAPID; what was sent)
 *          ─▶ each module's node part, in list order (modules/node-part.ts): its stores, keys and
 *             gateways, from its settings and what the parts before it lend ─▶ its runtime wiring
 *          ─▶ runtime (host, timers, relay, read side) running the modules ─▶ each part's `started`
 *
 * What the runtime and its modules push (in-app alerts, floor alerts, locker unlocks, …) goes to the
 * publisher the hub or the worker connects with `runtime.publishTo` once its fan-out exists.
 */
import type { ChangeBus } from '../workers/actors/change-bus.js';
import type { Logger } from '../workers/logger.js';
import type { NotificationChannels } from '../workers/notifications/channels.js';
import { createNotificationChannels } from '../workers/notifications/channels.js';
import type { NotificationStore } from '../workers/notifications/notification-store.js';
import { openNotificationStore } from '../workers/notifications/open-notification-store.js';
import type { OpenedStores, StoreChoice } from '../workers/open-store.js';
import { openStores } from '../workers/open-store.js';
import type { ModuleWiring } from '../workers/modules/runtime-module.js';
import type { Runtime } from '../workers/runtime.js';
import type { RuntimeObserver } from '../workers/runtime-observer.js';
import { startRuntime } from '../workers/runtime.js';
import type { Config, ModuleSettings } from './config.js';
import type { NodeContext, NodeModule, OpenedPart } from './modules/node-part.js';
import type { VenueModule } from './modules/venue-module.js';

/** The node's message channels (email, SMS, Web Push) and the store of what they sent (the local mailbox). */
export interface NodeMessaging {
  readonly store: NotificationStore;
  readonly channels: NotificationChannels;
}

/** The services of one node. */
export interface NodeServices {
  readonly stores: OpenedStores;
  readonly runtime: Runtime;
  readonly messaging: NodeMessaging;
  /** What a module's node part lends (its stores, keys, settings); throws when the module opened no node part here. */
  lent<L>(module: NodeModule<L>): L;
  /** Stops what the modules started, the runtime (in order), closes what they opened and the node's stores. */
  stop(): Promise<void>;
}

/** The store choice a configuration makes. */
export function storeChoice(config: Pick<Config, 'STORE' | 'MONGO_URL' | 'DATA_DIR'>): StoreChoice {
  return config.STORE === 'mongo' && config.MONGO_URL !== undefined ? { kind: 'mongo', url: config.MONGO_URL } : { kind: 'sqlite', dataDir: config.DATA_DIR };
}

/** Opens the stores and starts the services of a node. */
export async function startNodeServices(deps: {
  config: Config;
  log: Logger;
  bus?: ChangeBus;
  publicUrl: string;
  /** Told outbox and timer lag (the node's Prometheus metrics). */
  observer?: RuntimeObserver;
  /** A worker always does the background work (relay, timers); a hub node as BACKGROUND_WORK says. */
  role?: 'hub' | 'worker';
  /** The modules the runtime runs, in start order: both mains pass the venue's list (hub/modules/index.ts). */
  modules: readonly VenueModule[];
  /** Each module's parsed settings (`loadConfig` with `envSections(modules)`). */
  settings: ModuleSettings;
}): Promise<NodeServices> {
  const { config, log } = deps;
  const clock = Date.now;
  const choice = storeChoice(config);
  const stores = await openStores(choice);
  const notificationStore = await openNotificationStore(choice);
  const channels = await createNotificationChannels({
    dataDir: config.DATA_DIR,
    store: notificationStore,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    smsSender: config.SMS_SENDER,
    vapid: config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY ? { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY } : undefined,
    vapidSubject: config.VAPID_SUBJECT,
    clock,
    log: log.child({ part: 'channels' }),
  });
  const messaging: NodeMessaging = { store: notificationStore, channels };
  const closeCore = async () => {
    channels.close();
    await notificationStore.close();
  };
  const opened = await openNodeParts(deps.modules, deps.settings, { config, store: choice, publicUrl: deps.publicUrl, messaging, clock, log }).catch(async (error: unknown) => {
    await closeCore();
    await Promise.all([stores.store.close(), stores.readModels.close()]);
    throw error;
  });

  const runtime = await startRuntime({
    store: stores.store,
    jobsBackend: stores.jobsBackend,
    log,
    timerPollMs: config.TIMER_POLL_MS,
    // A worker always does the background work; a hub node leaves it to the worker when told so.
    background: deps.role === 'worker' || config.BACKGROUND_WORK === 'here',
    modules: deps.modules,
    wiring: opened.wiring(),
    ...(deps.bus === undefined ? {} : { bus: deps.bus }),
    ...(deps.observer === undefined ? {} : { observer: deps.observer }),
    readSide: { readModels: stores.readModels, timeZone: config.VENUE_TIME_ZONE },
  }).catch(async (error: unknown) => {
    await opened.close();
    await closeCore();
    throw error;
  });
  const stopStarted = opened.started(runtime);

  return {
    stores,
    runtime,
    messaging,
    lent: (module) => opened.lent(module),
    async stop() {
      stopStarted();
      await runtime.stop();
      await opened.close();
      await closeCore();
    },
  };
}

/** The node parts the modules of a list opened, in list order. */
interface OpenedParts {
  lent<L>(module: NodeModule<L>): L;
  /** Their runtime wiring. */
  wiring(): ModuleWiring[];
  /** Runs each part's `started` in order; returns the stop of all, in reverse. */
  started(runtime: Runtime): () => void;
  /** Closes each part, in reverse. */
  close(): Promise<void>;
}

/** Opens the node part of each module, in list order (a part may use what the parts before it lend). */
async function openNodeParts(modules: readonly VenueModule[], settings: ModuleSettings, core: Omit<NodeContext, 'lent'>): Promise<OpenedParts> {
  const opened = new Map<string, OpenedPart<unknown, unknown>>();
  const lent = <L>(module: NodeModule<L>): L => {
    const part = opened.get(module.name);
    if (part === undefined) throw new Error(`the ${module.name} module lends nothing here: it has no node part, or is listed after the module that needs it`);
    return part.lends as L;
  };
  const close = async () => {
    for (const part of [...opened.values()].reverse()) await part.close?.();
  };
  try {
    for (const module of modules) {
      if (module.node === undefined) continue;
      if (module.node.settings !== undefined && !settings.has(module.name)) throw new Error(`no settings for the ${module.name} module: load the configuration with envSections(modules)`);
      opened.set(module.name, await module.node.open({ ...core, lent }, settings.get(module.name)));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    lent,
    wiring: () => [...opened].flatMap(([module, part]) => (part.wiring === undefined ? [] : [{ module, wiring: part.wiring }])),
    started(runtime) {
      const stops = [...opened.values()].map((part) => part.started?.(runtime));
      return () => {
        for (const stop of stops.reverse()) stop?.();
      };
    },
    close,
  };
}
