/**
 * A minimal socket.io client for k6 (k6/ws), speaking engine.io v4 framing by hand:
 *
 *   server → "0{sid,pingInterval,…}"   engine.io open      client → "40{"token":"…"}"  connect with auth
 *   server → "40{sid}"                 connected           server → "44{message,data:{code}}"  refused
 *   client → "42<id>["event",payload]" emit with ack       server → "43<id>[answer]"  the ack
 *   server → "42["event",payload]"     a pushed event
 *   server → "2"  client → "3"          ping / pong (engine.io v4: the server pings)
 *
 * `npm run bench:fanout`, `bench:cluster` and `bench:checkin` run the same scenarios with the
 * TypeScript clients; these scripts run them with k6 against a deployed hub
 * (`k6 run -e HUB_URL=https://hub.example -e ADMIN_TOKEN=… fanout.js`), and
 * `load-tests/k6/k6-scripts.test.ts` runs each for a few seconds against a real hub whenever a
 * k6 binary is found (K6_BIN, or k6 on PATH).
 *
 * k6 refuses `setTimeout` with a delay of 0 ms: every delay here is at least 1 ms (`later`).
 */

/** `socket.setTimeout` with a delay k6 accepts (at least 1 ms). */
export function later(socket, fn, ms) {
  socket.setTimeout(fn, Math.max(1, Math.ceil(ms)));
}

/** `http(s)://host:port` → the socket.io WebSocket endpoint. */
export function socketUrl(httpUrl) {
  return httpUrl.replace(/^http/, 'ws').replace(/\/+$/, '') + '/socket.io/?EIO=4&transport=websocket';
}

/**
 * Speaks socket.io on an open k6 socket. `handlers.onConnect(api)` runs once connected,
 * `handlers.onEvent(name, payload)` for every pushed event, `handlers.onRefused({message, data})`
 * when the handshake is refused. `api.emit(event, payload, onAck)` sends one event.
 */
export function socketio(socket, token, handlers) {
  let nextAck = 0;
  const acks = {};
  const api = {
    emit(event, payload, onAck) {
      const id = onAck ? String(nextAck++) : '';
      if (onAck) acks[id] = onAck;
      socket.send('42' + id + JSON.stringify([event, payload]));
    },
  };
  socket.on('message', (frame) => {
    if (frame === '2') return socket.send('3');
    const type = frame.slice(0, 2);
    if (frame[0] === '0') return socket.send('40' + JSON.stringify({ token }));
    if (type === '40') return handlers.onConnect && handlers.onConnect(api);
    if (type === '44') {
      if (handlers.onRefused) handlers.onRefused(JSON.parse(frame.slice(2)));
      return socket.close();
    }
    if (type === '43') {
      const match = /^43(\d+)(.*)$/.exec(frame);
      const onAck = match && acks[match[1]];
      if (onAck) {
        delete acks[match[1]];
        onAck(JSON.parse(match[2])[0]);
      }
      return undefined;
    }
    if (type === '42') {
      const [event, payload] = JSON.parse(frame.slice(2));
      if (handlers.onEvent) handlers.onEvent(event, payload);
    }
    return undefined;
  });
  return api;
}

/** Places in the demo venue `npm start` seeds (mirrors load-tests/harness/demo-venue.ts). */
export function demoPlaces() {
  const activities = [
    ['wave-pool', 'wave-pool-adult'],
    ['lazy-river', 'lazy-river-adult'],
  ];
  const places = [];
  for (let hour = 10; hour <= 17; hour++) {
    for (let day = 1; day <= 5; day++) {
      const date = new Date(Date.now() + day * 86400000).toISOString().slice(0, 10);
      for (const [activityId, ticketTypeId] of activities) {
        places.push({ slotId: `${activityId}-${date}-${String(hour).padStart(2, '0')}00`, ticketTypeId });
      }
    }
  }
  return places;
}

/**
 * The change stream of the Node benches, for one visitor socket: hold → submit → cancel on fresh
 * bookings, one command per tick of `intervalMs`, each waiting for the previous ack.
 */
export function driveBookings(socket, api, { prefix, intervalMs, changes, onAck }) {
  const places = demoPlaces();
  const steps = [];
  for (let n = 0; steps.length < changes; n++) {
    const id = `${prefix}-${n}`;
    const { slotId, ticketTypeId } = places[n % places.length];
    // Prices come from the catalog, never from the client: a hold names ticket types and counts.
    steps.push(['booking:hold', { bookingId: id, slotId, items: [{ ticketTypeId, qty: 1 }] }]);
    steps.push(['actor:command', { kind: 'booking', id, event: { type: 'booking.submit' } }]);
    steps.push(['actor:command', { kind: 'booking', id, event: { type: 'booking.cancel', reason: 'k6' } }]);
  }
  let i = 0;
  const next = () => {
    if (i >= changes) return socket.close();
    const [event, payload] = steps[i++];
    const sent = Date.now();
    api.emit(event, payload, (answer) => {
      onAck(answer, Date.now() - sent);
      later(socket, next, intervalMs - (Date.now() - sent));
    });
    return undefined;
  };
  next();
}
