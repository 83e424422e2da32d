/**
 * The part of a venue module a node runs around its runtime: its own section of the environment,
 * and what it opens on the node (its stores, key rings, gateways) to wire its runtime part. A module
 * with a node part needs no edit of hub/config.ts or hub/node-services.ts: both mains iterate the
 * module list.
 *
 *   loadConfig(env, envSections(modules)) ─▶ the core Config + each module's settings, parsed by its
 *                                            own zod object (problems reported with the core's)
 *   startNodeServices(modules)
 *     for each module, in list order: open(node, settings) ─▶ wiring  (its runtime part's ctx.wiring)
 *                                                         └▶ lends   (what later modules and the edge use)
 *     startRuntime(modules, wiring) ─▶ started(runtime) of each, in order
 *     stop: each started part's stop, in reverse ─▶ the runtime ─▶ close() of each, in reverse
 */
import type { z } from 'zod';
import type { Logger } from '../../workers/logger.js';
import type { RuntimeModule } from '../../workers/modules/runtime-module.js';
import type { StoreChoice } from '../../workers/open-store.js';
import type { Runtime } from '../../workers/runtime.js';
import type { Config, EnvSection } from '../config.js';
import type { NodeMessaging } from '../node-services.js';

/** What a module's node part opens with: the node's core, and what the modules before it lend. */
export interface NodeContext {
  /** The core configuration (the store, the data directory, the venue's time zone, keys, …). */
  readonly config: Config;
  /** Where the node keeps its data: one SQLite file under DATA_DIR, or one MongoDB database. */
  readonly store: StoreChoice;
  /** The address visitors reach the hub at (links in messages, payment return pages). */
  readonly publicUrl: string;
  /** Email, SMS and Web Push, and the store of what was sent (the local mailbox). */
  readonly messaging: NodeMessaging;
  readonly clock: () => number;
  readonly log: Logger;
  /** What the node part of a module before this one lends; throws when it is not opened before. */
  lent<L>(module: NodeModule<L>): L;
}

/** What an opened node part gives the node. */
export interface OpenedPart<W, L> {
  /** The runtime part's wiring (`ctx.wiring`); without it the module runs unwired. */
  readonly wiring?: W;
  /** What later modules' node parts and the edge's routes use (its stores, keys, gateways, settings). */
  readonly lends: L;
  /** Runs once the runtime started (keeps slots generated, connects webhooks, watches closing time); returns its stop. */
  started?(runtime: Runtime): (() => void) | undefined;
  /** Closes what `open` opened, after the runtime stopped. */
  close?(): Promise<void> | void;
}

/** A module's node part: its settings and how it opens. */
export interface NodePart<W = unknown, L = unknown> {
  /** Its variables: a zod object parsed with the core configuration (names unique across modules). */
  readonly settings?: z.ZodObject;
  /** Opens what the module needs on this node from its parsed settings. */
  open(node: NodeContext, settings: unknown): Promise<OpenedPart<W, L>>;
}

/** A module that has a node part lending `L` (the key `NodeContext.lent` and the node's `lent` look it up by). */
export interface NodeModule<L> {
  readonly name: string;
  readonly node?: NodePart<unknown, L>;
}

/**
 * The node part of a runtime module: `open` gets the settings as the part's own schema parsed them
 * (the node passes each module the output of its `settings`), and must wire what the runtime part takes.
 */
export function nodePartOf<W, L, S extends z.ZodObject = z.ZodObject<Record<string, never>>>(
  _runtime: RuntimeModule<unknown, W>,
  part: { settings?: S; open(node: NodeContext, settings: z.output<S>): Promise<OpenedPart<NoInfer<W>, L>> },
): NodePart<W, L> {
  return { ...(part.settings === undefined ? {} : { settings: part.settings }), open: (node, settings) => part.open(node, settings as z.output<S>) };
}

/** The environment sections of a module list, in list order (for `loadConfig`). */
export function envSections(modules: readonly { readonly name: string; readonly node?: NodePart }[]): EnvSection[] {
  return modules.flatMap((module) => (module.node?.settings === undefined ? [] : [{ name: module.name, schema: module.node.settings }]));
}
