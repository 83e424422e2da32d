/**
 * k6: subscribers spread round-robin over several hub nodes (HUB_URLS, comma-separated), all on
 * the `dashboard` feed, while one visitor socket on the first node makes a paced stream of
 * booking changes; deliveries on the other nodes crossed Redis. Same scenario as
 * `npm run bench:cluster`, which runs it with the TypeScript SDK.
 *
 *   k6 run -e HUB_URLS=http://hub-1:8080,http://hub-2:8080,http://hub-3:8080 \
 *          -e ADMIN_TOKEN=… -e VISITOR_TOKEN=… -e SOCKETS=1000 load-tests/k6/cluster.js
 *
 * Latency is from the change's commit stamp (`at`) to receipt (synchronised clocks needed).
 */
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import ws from 'k6/ws';
import { driveBookings, later, socketio, socketUrl } from './socketio.js';

const URLS = (__ENV.HUB_URLS || 'http://localhost:8080').split(',');
const SOCKETS = Number(__ENV.SOCKETS || 1000);
const RATE = Math.min(40, Number(__ENV.RATE || 20)); // one driver socket: the hub allows 50 events/s per socket
const CHANGES = Number(__ENV.CHANGES || 300);
const RAMP_S = Number(__ENV.RAMP_S || 20);
/** How long subscribers stay connected after the stream (late deliveries still count). */
const LINGER_S = Number(__ENV.LINGER_S || 10);
const STREAM_S = Math.ceil(CHANGES / RATE);

const delivery = new Trend('delivery_latency', true);
const crossNode = new Trend('cross_node_delivery_latency', true);
const deliveries = new Counter('deliveries');
const crossNodeDeliveries = new Counter('cross_node_deliveries');
const acks = new Counter('acks');
const refusals = new Counter('refusals');

export const options = {
  scenarios: {
    subscribers: { executor: 'per-vu-iterations', exec: 'subscriber', vus: SOCKETS, iterations: 1, maxDuration: `${RAMP_S + STREAM_S + 60}s` },
    driver: { executor: 'per-vu-iterations', exec: 'driver', vus: 1, iterations: 1, startTime: `${RAMP_S}s`, maxDuration: `${STREAM_S + 60}s` },
  },
  // Each latency threshold has a count beside it: a run that measured nothing fails.
  thresholds: {
    cross_node_delivery_latency: ['p(99)<25'],
    cross_node_deliveries: ['count>0'],
    deliveries: ['count>0'],
    acks: ['count>0'],
    refusals: ['count==0'],
  },
};

export function subscriber() {
  const node = (__VU - 1) % URLS.length;
  ws.connect(socketUrl(URLS[node]), {}, (socket) => {
    socketio(socket, __ENV.ADMIN_TOKEN, {
      onConnect: (api) => api.emit('feed:subscribe', { feed: 'dashboard' }, (answer) => check(answer, { subscribed: (a) => a.ok === true })),
      onEvent: (event, payload) => {
        if (event !== 'feed:changed') return;
        const ms = Date.now() - payload.change.at;
        delivery.add(ms);
        deliveries.add(1);
        if (node !== 0) {
          crossNode.add(ms);
          crossNodeDeliveries.add(1);
        }
      },
    });
    later(socket, () => socket.close(), (RAMP_S + STREAM_S + LINGER_S) * 1000);
  });
}

export function driver() {
  ws.connect(socketUrl(URLS[0]), {}, (socket) => {
    socketio(socket, __ENV.VISITOR_TOKEN, {
      onConnect: (api) =>
        driveBookings(socket, api, {
          prefix: `k6c-${Date.now()}`,
          intervalMs: 1000 / RATE,
          changes: CHANGES,
          onAck: (answer) => {
            acks.add(1);
            if (!answer.ok) refusals.add(1, { code: answer.code });
          },
        }),
    });
  });
}
