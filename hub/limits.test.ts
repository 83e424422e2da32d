/**
 * Hostile input against a real hub: fuzzed events and payloads get coded acks and change nothing
 * they should not, malformed frames and oversized messages cost only the sender its socket, and a
 * flooding socket is throttled and then ended while its neighbours carry on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../machines/errors.js';
import type { ClientSocket, RawSocket, TestHub } from './hub.test-support.js';
import { disconnected, holdOf, nextEvent, SOCKET_ENGINES, startTestHub, TEST_SLOT } from './hub.test-support.js';

/** A small deterministic PRNG (mulberry32) so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = ['actor:subscribe', 'actor:unsubscribe', 'actor:command', 'feed:subscribe', 'feed:unsubscribe', 'booking:hold', 'admin:revoke'];
const UNKNOWN = ['', 'nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'actor:subscribe ', 'ACTOR:SUBSCRIBE', 'x'.repeat(300)];

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return [0, -1, 1e308, Number.MAX_SAFE_INTEGER, 3.14, -0][Math.floor(rand() * 6)];
    case 3:
      return 'ab:c.-_'.repeat(Math.floor(rand() * 40));
    case 4:
      return ['booking', 'locker', '', '__proto__', '../../etc', 'user:x', 'booking.submit', 'zone', 'dashboard'][Math.floor(rand() * 9)];
    case 5:
      return 'é'.repeat(Math.floor(rand() * 600)); // multi-byte: 2 bytes each
    case 6:
      return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    default: {
      const keys = ['kind', 'id', 'event', 'type', 'feed', 'zone', 'commandId', 'bookingId', 'slotId', 'lines', 'subject', 'reason', '__proto__', 'constructor'];
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 5); i > 0; i--) obj[keys[Math.floor(rand() * keys.length)] ?? 'k'] = randomValue(rand, depth + 1);
      return obj;
    }
  }
}

const isCodedAnswer = (answer: unknown): boolean => {
  if (typeof answer !== 'object' || answer === null || !('ok' in answer)) return false;
  if (answer.ok === true) return 'data' in answer;
  return 'code' in answer && (ERROR_CODES as readonly unknown[]).includes(answer.code) && 'message' in answer && typeof answer.message === 'string';
};

describe('fuzzed and oversized input', () => {
  let t: TestHub;
  let bystander: ClientSocket;
  beforeAll(async () => {
    t = await startTestHub();
    bystander = await t.connect(await t.person('vis_calm', 'visitor'));
    await bystander.emitWithAck('booking:hold', holdOf('calm-1'));
  });
  afterAll(async () => {
    bystander?.close();
    await t?.stop();
  });

  it('answers every fuzzed event with a coded ack and stays up for everyone', async () => {
    const fuzzer: RawSocket = await t.connectRaw(await t.person('vis_fuzz', 'visitor'));
    const rand = prng(20_260_101);
    const answers: unknown[] = [];
    for (let i = 0; i < 400; i++) {
      const names = rand() < 0.8 ? EVENTS : UNKNOWN;
      const name = names[Math.floor(rand() * names.length)] ?? 'nope';
      const args = rand() < 0.1 ? [randomValue(rand), randomValue(rand)] : rand() < 0.05 ? [] : [randomValue(rand)];
      answers.push(await fuzzer.timeout(5_000).emitWithAck(name, ...args));
    }
    const bad = answers.filter((a) => !isCodedAnswer(a));
    expect(bad).toEqual([]);
    const codes = new Set(answers.flatMap((a) => (isCodedAnswer(a) && typeof a === 'object' && a !== null && 'code' in a ? [a.code] : [])));
    expect(codes).toContain('event.unknown');
    expect(codes).toContain('event.invalid');
    expect(fuzzer.connected).toBe(true);
    // An event without an ack is handled (and refused) without an answer.
    fuzzer.emit('actor:command', { kind: 'booking', id: 'calm-1', event: { type: 'booking.cancel' } });
    expect(await fuzzer.emitWithAck('actor:subscribe', { kind: 'booking', id: 'calm-1' })).toMatchObject({ ok: false, code: 'auth.forbidden' });
    expect(await bystander.emitWithAck('actor:subscribe', { kind: 'booking', id: 'calm-1' })).toMatchObject({ ok: true, data: { version: 1, state: 'held' } });
    fuzzer.close();
  });

  it('refuses an event over MAX_EVENT_BYTES with message.too_large', async () => {
    const socket = await t.connect(await t.person('vis_big', 'visitor'));
    const answer = await socket.emitWithAck('booking:hold', { ...holdOf('big-1'), bookingId: 'x'.repeat(6_000) });
    expect(answer).toMatchObject({ ok: false, code: 'message.too_large' });
    expect(await t.store.ledger.level(TEST_SLOT)).toMatchObject({ taken: 1 });
    socket.close();
  });

  it('counts binary attachments: 10 × 3.9 KB in one event is refused with message.too_large', async () => {
    const socket: RawSocket = await t.connectRaw(await t.person('vis_binary', 'visitor'));
    const attachments = Array.from({ length: 10 }, () => Buffer.alloc(3_900, 1));
    const answer: unknown = await socket.timeout(5_000).emitWithAck('booking:hold', { ...holdOf('binary-1'), attachments });
    expect(answer).toMatchObject({ ok: false, code: 'message.too_large' });
    // One small attachment stays under the limit and reaches the schema, which refuses it.
    const small: unknown = await socket.timeout(5_000).emitWithAck('booking:hold', { ...holdOf('binary-2'), lines: Buffer.alloc(10) });
    expect(small).toMatchObject({ ok: false, code: 'event.invalid' });
    socket.close();
  });

  it.each(['2[not json', '42["disconnect",{"x":1}]', '42["connect"]', '4'])('a malformed frame %j costs only the sender its socket', async (frame) => {
    const broken = await t.connectRaw(await t.person('vis_broken', 'visitor'));
    const gone = disconnected(broken);
    // Reserved names are refused by socket.io's parser like any malformed packet: the connection closes.
    broken.io.engine.send(frame);
    expect(await gone).toBe('transport close');
    expect(await bystander.emitWithAck('actor:subscribe', { kind: 'booking', id: 'calm-1' })).toMatchObject({ ok: true });
    expect((await t.store.load('booking', 'calm-1'))?.version).toBe(1);
  });
});

describe.each(SOCKET_ENGINES)('MAX_MESSAGE_BYTES on the %s engine', (engine) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { SOCKET_ENGINE: engine } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('disconnects the socket that sends an oversized message, and only that one', async () => {
    const calm = await t.connect(await t.person('vis_c', 'visitor'));
    const big = await t.connectRaw(await t.person('vis_b', 'visitor'));
    const gone = disconnected(big);
    big.emit('booking:hold', { bookingId: 'x'.repeat(20_000) });
    expect(await gone).toBe('transport close');
    expect(await calm.emitWithAck('booking:hold', holdOf(`${engine}-calm`))).toMatchObject({ ok: true });
    calm.close();
  });
});

describe('rate limits', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ config: { RATE_LIMIT_PER_SECOND: 5, RATE_LIMIT_BURST: 5 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const burst = (socket: ClientSocket, n: number) =>
    Promise.all(Array.from({ length: n }, () => socket.emitWithAck('feed:unsubscribe', { feed: 'dashboard' })));

  it('answers rate.limited beyond the burst, and recovers as tokens refill', async () => {
    const socket = await t.connect(await t.person('vis_r1', 'visitor'));
    const answers = await burst(socket, 20);
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.code === 'rate.limited')).toHaveLength(15);
    expect(socket.connected).toBe(true);
    // One token back after 200 ms at 5 per second.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await socket.emitWithAck('feed:unsubscribe', { feed: 'dashboard' })).toMatchObject({ ok: true });
    socket.close();
  });

  it('ends a flooding socket with session:ended rate.limited; its neighbour is served', async () => {
    const neighbour = await t.connect(await t.person('vis_r2', 'visitor'));
    const flooder = await t.connect(await t.person('vis_r3', 'visitor'));
    const ended = nextEvent(flooder, 'session:ended');
    const gone = disconnected(flooder);
    for (let i = 0; i < 200; i++) flooder.emit('feed:unsubscribe', { feed: 'dashboard' }, () => {});
    expect(await ended).toMatchObject({ code: 'rate.limited' });
    await gone;
    expect(await neighbour.emitWithAck('feed:unsubscribe', { feed: 'dashboard' })).toMatchObject({ ok: true });
    neighbour.close();
  });
});
