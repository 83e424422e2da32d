/**
 * The typed socket.io server of the hub: the contract's event maps plus what the server keeps
 * per socket. `SocketData` travels between nodes (fetchSockets), so it holds only plain data.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../machines/contract/wire.js';
import type { Principal } from '../auth/tokens.js';

/** Events hub nodes send each other directly (none: cross-node traffic is room broadcasts). */
export type InterServerEvents = Record<never, never>;

/** Per-socket server state, set by the handshake. */
export interface SocketData {
  principal: Principal;
}

/** The hub's socket.io server. */
export type HubIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** One connected client of the hub. */
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
