/**
 * Real processes for cross-node tests and benches: redis-server, hub nodes, free ports, an SMTP
 * inbox, verified visitors signed up over HTTP from their own loopback addresses, and paid tickets
 * that admit now with the gate devices that scan them.
 * Imported by hub/*.cluster.test.ts and load-tests/bench-*.ts.
 */
export { freePort } from './free-port.js';
export { pingRedis, startRedis } from './redis-process.js';
export type { RedisProcess, StartRedisOptions } from './redis-process.js';
export { readCpuSeconds, readRssBytes, REPO_ROOT, startHubNode } from './hub-process.js';
export type { HubNode, HubNodeOptions } from './hub-process.js';
export type { ChildExit } from './children.js';
export { startCluster, waitFor } from './cluster.js';
export type { Cluster, ClusterOptions } from './cluster.js';
export { createDevSigner } from './dev-tokens.js';
export type { DevSigner } from './dev-tokens.js';
export { demoPlaces, familyPass, oneSeat } from './demo-venue.js';
export type { DemoPlace } from './demo-venue.js';
export { otpCodeOf, startSmtpInbox } from './smtp-inbox.js';
export type { ReceivedAttachment, ReceivedMail, SmtpInbox } from './smtp-inbox.js';
export { loopbackAddress, loopbackFetch } from './loopback-fetch.js';
export { signUpVisitor, signUpVisitors } from './visitors.js';
export type { SignUpOptions, Visitor } from './visitors.js';
export { buyTickets, issueDevice, openActivityNow } from './paid-tickets.js';
export type { BuyTicketsOptions, IssuedDevice, OpenActivity, OpenActivityOptions, PaidTicket } from './paid-tickets.js';
