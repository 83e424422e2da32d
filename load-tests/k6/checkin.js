/**
 * k6: gate check-in at the doors while visitors watch the zone fill up. GATES gate devices send
 * `gate:scan` entries of distinct tickets at RATE scans/s in all (open loop: every gate sends on
 * its own clock, without waiting for the previous verdict) while SOCKETS visitor sockets are
 * subscribed to the zone's occupancy. Same scenario as `npm run bench:checkin`, which runs it
 * with the TypeScript clients and also buys the tickets and mints the gate tokens.
 *
 *   k6 run -e HUB_URLS=http://hub-1:8080,http://hub-2:8080 -e ZONE=hall -e VISITOR_TOKEN=… \
 *          -e GATE_TOKENS=gates.json -e TICKETS=tickets.json -e RATE=500 -e DURATION_S=60 \
 *          -e SOCKETS=10000 load-tests/k6/checkin.js
 *
 * Inputs: GATE_TOKENS is a JSON array of gate device tokens (POST /api/admin/devices, kind `gate`,
 * scope {zone: ZONE, gateId}), one per gate; TICKETS a JSON array of ticket QR tokens valid now
 * for an activity in ZONE (GET /api/bookings/:id/tickets of paid bookings), at least
 * RATE × DURATION_S of them; each is scanned once. Gate k and visitor i use HUB_URLS round-robin.
 *
 * Verdict latency is measured on the gate (send → ack). Occupancy lag is from the level's `at`
 * stamp (server clock) to receipt: run k6 on the hub's machine or with synchronised clocks.
 */
import { check } from 'k6';
import { Counter, Trend } from 'k6/metrics';
import ws from 'k6/ws';
import { later, socketio, socketUrl } from './socketio.js';

const URLS = (__ENV.HUB_URLS || __ENV.HUB_URL || 'http://localhost:8080').split(',');
const ZONE = __ENV.ZONE || 'hall';
const RATE = Number(__ENV.RATE || 500);
const DURATION_S = Number(__ENV.DURATION_S || 60);
const SOCKETS = Number(__ENV.SOCKETS || 10000);
const RAMP_S = Number(__ENV.RAMP_S || 60);
/** How long subscribers stay connected after the stream (late deliveries still count). */
const LINGER_S = Number(__ENV.LINGER_S || 30);
const GATE_TOKENS = JSON.parse(open(__ENV.GATE_TOKENS || 'gates.json'));
const TICKETS = JSON.parse(open(__ENV.TICKETS || 'tickets.json'));
const GATES = GATE_TOKENS.length;
const SCANS = Math.min(TICKETS.length, Math.round(RATE * DURATION_S));
const PER_GATE_INTERVAL_MS = (1000 * GATES) / RATE; // gate k sends scans k, k + GATES, k + 2·GATES, …

const verdictLatency = new Trend('verdict_latency', true);
const occupancyLag = new Trend('occupancy_lag', true);
const admitted = new Counter('admitted');
const notAdmitted = new Counter('not_admitted');
const occupancyMessages = new Counter('occupancy_messages');

export const options = {
  scenarios: {
    visitors: { executor: 'per-vu-iterations', exec: 'visitor', vus: SOCKETS, iterations: 1, maxDuration: `${RAMP_S + DURATION_S + 90}s` },
    gates: { executor: 'per-vu-iterations', exec: 'gate', vus: GATES, iterations: 1, startTime: `${RAMP_S}s`, maxDuration: `${DURATION_S + 60}s` },
  },
  // Each latency threshold has a count beside it: a run that measured nothing fails.
  thresholds: {
    verdict_latency: ['p(50)<5', 'p(99)<10'],
    admitted: ['count>0'],
    not_admitted: ['count==0'],
    occupancy_lag: ['p(99)<1500'],
    occupancy_messages: ['count>0'],
  },
};

export function visitor() {
  const res = ws.connect(socketUrl(URLS[(__VU - 1) % URLS.length]), {}, (socket) => {
    socketio(socket, __ENV.VISITOR_TOKEN, {
      onConnect: (api) => api.emit('occupancy:subscribe', { zones: [ZONE] }, (answer) => check(answer, { subscribed: (a) => a.ok === true })),
      onRefused: (refusal) => check(refusal, { 'handshake accepted': () => false }),
      onEvent: (event, level) => {
        if (event !== 'occupancy:changed') return;
        occupancyMessages.add(1);
        occupancyLag.add(Date.now() - level.at);
      },
    });
    later(socket, () => socket.close(), (RAMP_S + DURATION_S + LINGER_S) * 1000);
  });
  check(res, { 'websocket upgraded': (r) => r && r.status === 101 });
}

export function gate() {
  const k = (__VU - 1) % GATES;
  ws.connect(socketUrl(URLS[k % URLS.length]), {}, (socket) => {
    socketio(socket, GATE_TOKENS[k], {
      onConnect: (api) => {
        const mine = [];
        for (let i = k; i < SCANS; i += GATES) mine.push(i);
        let answered = 0;
        const started = Date.now() + Math.round((k * PER_GATE_INTERVAL_MS) / GATES); // gates out of phase
        const sendAt = (n) => {
          if (n >= mine.length) return;
          later(socket, () => {
            const i = mine[n];
            const sent = Date.now();
            api.emit('gate:scan', { token: TICKETS[i], nonce: `k6-${__ENV.RUN || started}-${i}`, direction: 'entry', at: sent }, (answer) => {
              verdictLatency.add(Date.now() - sent);
              if (answer.ok && answer.data.verdict === 'admitted') admitted.add(1);
              else notAdmitted.add(1, { verdict: answer.ok ? `${answer.data.verdict}${answer.data.code ? `:${answer.data.code}` : ''}` : `ack:${answer.code}` });
              if (++answered === mine.length) later(socket, () => socket.close(), 1000);
            });
            sendAt(n + 1); // open loop: the next scan is due on schedule, answered or not
          }, started + n * PER_GATE_INTERVAL_MS - Date.now());
        };
        sendAt(0);
      },
    });
  });
}
