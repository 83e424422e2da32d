/**
 * Real processes for cross-node tests and benches: redis-server, hub nodes, free ports.
 * Imported by hub/*.cluster.test.ts and load-tests/bench-*.ts.
 */
export { freePort } from './free-port.js';
export { pingRedis, startRedis } from './redis-process.js';
export type { RedisProcess, StartRedisOptions } from './redis-process.js';
export { readRssBytes, REPO_ROOT, startHubNode } from './hub-process.js';
export type { HubNode, HubNodeOptions } from './hub-process.js';
export type { ChildExit } from './children.js';
export { startCluster, waitFor } from './cluster.js';
export type { Cluster, ClusterOptions } from './cluster.js';
export { createDevSigner } from './dev-tokens.js';
export type { DevSigner } from './dev-tokens.js';
export { demoPlaces, familyPass, oneSeat } from './demo-venue.js';
export type { DemoPlace } from './demo-venue.js';
