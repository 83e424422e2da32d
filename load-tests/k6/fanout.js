/**
 * k6: N admin sockets on one hub node, all on the `dashboard` feed (one room), while one visitor
 * socket makes a paced stream of booking changes. Same scenario as `npm run bench:fanout`, which
 * runs it with the TypeScript SDK.
 *
 *   k6 run -e HUB_URL=http://localhost:8080 -e ADMIN_TOKEN=… -e VISITOR_TOKEN=… \
 *          -e SOCKETS=10000 -e RATE=20 -e CHANGES=300 load-tests/k6/fanout.js
 *
 * Tokens: `npm start` prints a demo super_admin and a demo visitor token. Latency here is from the
 * change's commit stamp (`at`, server clock) to receipt, since k6 VUs cannot share the driver's
 * send times; run k6 on the hub's machine or with synchronised clocks.
 */
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import ws from 'k6/ws';
import { driveBookings, later, socketio, socketUrl } from './socketio.js';

const HUB_URL = __ENV.HUB_URL || 'http://localhost:8080';
const SOCKETS = Number(__ENV.SOCKETS || 10000);
const RATE = Math.min(40, Number(__ENV.RATE || 20)); // one driver socket: the hub allows 50 events/s per socket
const CHANGES = Number(__ENV.CHANGES || 300);
const RAMP_S = Number(__ENV.RAMP_S || 60);
/** How long subscribers stay connected after the stream (late deliveries still count). */
const LINGER_S = Number(__ENV.LINGER_S || 10);
const STREAM_S = Math.ceil(CHANGES / RATE);

const delivery = new Trend('delivery_latency', true);
const ackLatency = new Trend('ack_latency', true);
const deliveries = new Counter('deliveries');
const acks = new Counter('acks');
const refusals = new Counter('refusals');

export const options = {
  scenarios: {
    subscribers: { executor: 'per-vu-iterations', exec: 'subscriber', vus: SOCKETS, iterations: 1, maxDuration: `${RAMP_S + STREAM_S + 60}s` },
    driver: { executor: 'per-vu-iterations', exec: 'driver', vus: 1, iterations: 1, startTime: `${RAMP_S}s`, maxDuration: `${STREAM_S + 60}s` },
  },
  // Each latency threshold has a count beside it: a run that measured nothing fails.
  thresholds: {
    delivery_latency: ['p(50)<25', 'p(99)<100'],
    deliveries: ['count>0'],
    ack_latency: ['p(99)<100'],
    acks: ['count>0'],
    refusals: ['count==0'],
  },
};

export function subscriber() {
  const res = ws.connect(socketUrl(HUB_URL), {}, (socket) => {
    socketio(socket, __ENV.ADMIN_TOKEN, {
      onConnect: (api) => api.emit('feed:subscribe', { feed: 'dashboard' }, (answer) => check(answer, { subscribed: (a) => a.ok === true })),
      onRefused: (refusal) => check(refusal, { 'handshake accepted': () => false }),
      onEvent: (event, payload) => {
        if (event !== 'feed:changed') return;
        delivery.add(Date.now() - payload.change.at);
        deliveries.add(1);
      },
    });
    later(socket, () => socket.close(), (RAMP_S + STREAM_S + LINGER_S) * 1000);
  });
  check(res, { 'websocket upgraded': (r) => r && r.status === 101 });
}

export function driver() {
  ws.connect(socketUrl(HUB_URL), {}, (socket) => {
    socketio(socket, __ENV.VISITOR_TOKEN, {
      onConnect: (api) =>
        driveBookings(socket, api, {
          prefix: `k6-${Date.now()}`,
          intervalMs: 1000 / RATE,
          changes: CHANGES,
          onAck: (answer, ms) => {
            ackLatency.add(ms);
            acks.add(1);
            if (!answer.ok) refusals.add(1, { code: answer.code });
          },
        }),
    });
  });
}
