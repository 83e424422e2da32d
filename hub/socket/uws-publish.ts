/**
 * A room broadcast on uWebSockets.js without a walk over the room's sockets.
 *
 * `io.attachApp(app)` patches socket.io's in-memory Adapter so that a broadcast to one room (no
 * `except`) is published natively: the packet is encoded once and `app.publish(topic)` writes it
 * to every subscribed WebSocket in C++. The same patch then still walks every socket of the room in
 * JavaScript (`this.apply(opts, …)`), to write the packet to clients on HTTP long-polling, which
 * the native publish cannot reach. This hub accepts WebSocket only (`transports: ['websocket']`),
 * so that walk finds nobody to write to and only costs a lookup per socket: for 10,000 occupancy
 * watchers it was more JavaScript than the publish itself.
 *
 *   broadcast(packet, {rooms: {r}, except: {}}) ─▶ no socket of this node in r? ─▶ nothing to do
 *                                                 ─▶ encode once ─▶ app.publish('/\x1fr', '4' + packet)
 *   anything else (several rooms, except)       ─▶ socket.io's own path (per-socket, correct for all)
 *
 * Most rooms a change goes to have nobody in them on a given node (the room of each ticket scanned
 * at a gate, a zone feed no staff screen has open), and encoding the packet (a walk for binary
 * parts, then JSON) cost more than the publish. The adapter's room map holds this node's sockets
 * only, which is all a local broadcast can reach: other nodes get the message through the Redis
 * adapter before it calls this, and deliver it with their own.
 *
 * The Redis adapter extends the same Adapter and calls this broadcast for local delivery, both for
 * its own emits and for those it receives from other nodes. `io.close()` restores socket.io's
 * original prototype (and so drops this wrapper with its own patch).
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { HubIo } from './types.js';

/** The topic separator of socket.io's uWS patch (ASCII unit separator). */
const SEPARATOR = '\x1f';

interface BroadcastOptions {
  rooms: Set<string>;
  except: Set<string>;
}

interface AdapterLike {
  nsp: { name: string };
  /** This node's sockets by room. */
  rooms: Map<string, Set<string>>;
  encoder: { encode(packet: unknown): Array<string | Buffer> };
  broadcast(packet: { nsp?: string }, opts: BroadcastOptions): void;
}

/**
 * Replaces the per-socket walk of socket.io's uWS broadcast for single-room broadcasts. Call right
 * after `io.attachApp(app)`, on a server that takes WebSocket only.
 */
export function publishRoomsNatively(io: HubIo, app: TemplatedApp): void {
  const transports = io.engine.opts.transports ?? [];
  if (transports.length !== 1 || transports[0] !== 'websocket') throw new Error('publishRoomsNatively needs a WebSocket-only server');
  // attachApp patched socket.io-adapter's in-memory Adapter, the base of every adapter (the Redis
  // adapter's own broadcast publishes to Redis and then calls it): find it up the prototype chain.
  let proto = Object.getPrototypeOf(io.of('/').adapter) as AdapterLike | null;
  while (proto !== null && !Object.hasOwn(proto, 'addAll')) proto = Object.getPrototypeOf(proto) as AdapterLike | null;
  if (proto === null || !Object.hasOwn(proto, 'broadcast')) throw new Error("socket.io's in-memory Adapter was not found under the namespace's adapter");
  const patched = proto.broadcast;
  proto.broadcast = function broadcast(this: AdapterLike, packet, opts) {
    if (opts.rooms.size !== 1 || opts.except.size !== 0) return patched.call(this, packet, opts);
    const [room] = opts.rooms;
    if (room === undefined || !this.rooms.has(room)) return;
    packet.nsp = this.nsp.name;
    const topic = `${this.nsp.name}${SEPARATOR}${String(room)}`;
    for (const encoded of this.encoder.encode(packet)) {
      // "4" is the Engine.IO message type; binary attachments go as they are.
      if (typeof encoded === 'string') app.publish(topic, `4${encoded}`, false);
      else app.publish(topic, encoded, true);
    }
  };
}
