/**
 * A subscriber process: holds `count` SDK clients, each subscribed to the same feed or actor,
 * and notes when every change reached every client. Started by `subscriber-pool.ts`; speaks
 * the IPC protocol of `protocol.ts`. Spreading sockets over a few processes keeps one event
 * loop from serialising all receipts (and the latency figures with it).
 */
import { connectHub } from '../../clients/sdk/index.js';
import type { HubClient } from '../../clients/sdk/index.js';
import { runPool } from '../stats.js';
import { changeKey, nowMs } from './protocol.js';
import type { FromChild, ToChild } from './protocol.js';

type Start = Extract<ToChild, { type: 'start' }>;

const clients: HubClient[] = [];
/** Receipt times per change key, one entry per socket that got it; cross-node receipts apart. */
const local = new Map<string, number[]>();
const remote = new Map<string, number[]>();
/** The commit stamp (`at`, the committing node's clock, whole ms) of each change seen on a feed. */
const committedAt = new Map<string, number>();
let received = 0;
let firstAt = Infinity;
let lastAt = 0;
let resyncs = 0;
let reconnects = 0;

function send(message: FromChild): void {
  process.send?.(message);
}

function note(into: Map<string, number[]>, id: string, version: number): void {
  const at = nowMs();
  const key = changeKey(id, version);
  let list = into.get(key);
  if (!list) into.set(key, (list = []));
  list.push(at);
  received++;
  if (at < firstAt) firstAt = at;
  lastAt = at;
}

async function start(m: Start): Promise<void> {
  let failed = 0;
  let firstError: string | undefined;
  const localUrls = new Set(m.localUrls);
  await runPool(m.count, m.connectConcurrency, async (i) => {
    const url = m.urls[(m.offset + i) % m.urls.length] ?? '';
    // The others follow as fallbacks, so a drained node's clients move on.
    const client = connectHub({ url: [url, ...m.urls.filter((u) => u !== url)], token: m.token, connectTimeoutMs: 120_000, requestTimeoutMs: 120_000 });
    clients.push(client);
    client.onStatus((status) => status === 'reconnecting' && reconnects++);
    const into = () => (localUrls.has(client.url) ? local : remote);
    try {
      await client.ready;
      const target = m.target;
      const answer =
        'feed' in target
          ? await client.subscribeFeed(target.feed, (change) => {
              note(into(), change.change.id, change.change.version);
              committedAt.set(changeKey(change.change.id, change.change.version), change.change.at);
            }).ready
          : await client.subscribeActor(target.actor, (state, update) => {
              if (update.source === 'change') note(into(), state.id, state.version);
              else if (update.source === 'resync') resyncs++;
            }).ready;
      if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
      client.close();
    }
  });
  send({ type: 'ready', connected: m.count - failed, failed, ...(firstError ? { firstError } : {}) });
}

/** Latencies of the receipts in `from`, written into `out` from `n`; returns the new `n` and the unmatched count. */
function fill(from: Map<string, number[]>, sentAt: Map<string, number>, out: Float64Array, n: number): [number, number] {
  let unmatched = 0;
  for (const [key, times] of from) {
    const sent = sentAt.get(key);
    if (sent === undefined) unmatched += times.length;
    else for (const t of times) out[n++] = t - sent;
  }
  return [n, unmatched];
}

function collect(sentAt: Map<string, number>): void {
  const samples = new Float64Array(received);
  const [afterLocal, unmatchedLocal] = fill(local, sentAt, samples, 0);
  const [total, unmatchedRemote] = fill(remote, sentAt, samples, afterLocal);
  const sinceCommit = new Float64Array(received);
  const [localCommitted] = fill(local, committedAt, sinceCommit, 0);
  const [commitTotal] = fill(remote, committedAt, sinceCommit, localCommitted);
  send({
    type: 'latencies',
    samples: samples.subarray(0, total),
    remoteSamples: samples.slice(afterLocal, total),
    sinceCommitSamples: sinceCommit.subarray(0, commitTotal),
    received,
    unmatched: unmatchedLocal + unmatchedRemote,
    resyncs,
    reconnects,
    firstAt,
    lastAt,
  });
  // The next phase starts from nothing.
  local.clear();
  remote.clear();
  committedAt.clear();
  received = 0;
  firstAt = Infinity;
  lastAt = 0;
  resyncs = 0;
}

process.on('message', (message: ToChild) => {
  switch (message.type) {
    case 'start':
      start(message).catch((error: unknown) => send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }));
      break;
    case 'count':
      send({ type: 'counted', received });
      break;
    case 'collect':
      collect(message.sentAt);
      break;
    case 'stop':
      for (const client of clients) client.close();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
