/**
 * Puts socket.io and the HTTP routes on one port with the configured engine.
 *
 *   SOCKET_ENGINE=uws  uWS.App() ── io.attachApp(app)  (native binary asserted by loadUwsOrRefuse)
 *                               └── app.any('/*')      HTTP routes
 *   SOCKET_ENGINE=ws   http.createServer(routes) ── new Server(server)   (socket.io's own ws engine)
 *
 * Both engines take WebSocket only: no long-polling, so no sticky sessions behind a load balancer.
 * A message larger than `maxHttpBufferSize` makes the engine close that connection (uWS
 * `maxPayloadLength`, ws `maxPayload`: close code 1009); the client sees a transport close.
 *
 * Exclusive ports: uSockets sets SO_REUSEPORT by default, so a second hub (another process) on a
 * taken port would come up too and the kernel would split connections between them. uWS listens
 * with LIBUS_LISTEN_EXCLUSIVE_PORT and Node's server without `reusePort`, so the second one is
 * refused (EADDRINUSE) and its `main` stops with a message naming PORT.
 *
 * One uWS hub per process: `io.attachApp` patches socket.io's Adapter prototype globally so that
 * every adapter publishes through that one app (and subscribes ws sockets as if they were uWS
 * ones). A second hub of either engine in the same process would silently lose broadcasts or
 * throw on join, so it is refused until the uWS hub has closed (`io.close()` restores the prototype).
 * A one-room broadcast then skips socket.io's walk over the room's sockets (socket/uws-publish.ts).
 */
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { Server } from 'socket.io';
import type { ServerOptions } from 'socket.io';
import type { RecognizedString, us_listen_socket } from 'uWebSockets.js';
import { CodedError } from '../machines/errors.js';
import { loadUwsOrRefuse } from './engine.js';
import { nodeRequestListener, serveOnUws } from './http/adapters.js';
import type { HttpHandler } from './http/routes.js';
import type { HubIo } from './socket/types.js';
import { publishRoomsNatively } from './socket/uws-publish.js';

declare module 'uWebSockets.js' {
  interface TemplatedApp {
    /** Host, port and options: the native module takes all three (its typings list only port and options). */
    listen(host: RecognizedString, port: number, options: number, cb: (listenSocket: us_listen_socket | false) => void | Promise<void>): TemplatedApp;
  }
}

/** uSockets' LIBUS_LISTEN_EXCLUSIVE_PORT (no SO_REUSEPORT); the module exports it, its typings do not. */
const UWS_EXCLUSIVE_PORT = 1;

/** A bound port with socket.io on it. */
export interface ListeningHub {
  readonly io: HubIo;
  readonly port: number;
  /** Closes the listening socket: no new connections; open ones stay until closed. */
  stopAccepting(): void;
  /** Closes socket.io (its adapter and engine) and whatever connections are left. */
  close(): Promise<void>;
}

/** Where and how to listen. */
export interface ListenOptions {
  engine: 'uws' | 'ws';
  host: string;
  port: number;
  io: Partial<ServerOptions>;
  http: HttpHandler;
}

/** The socket.io options both engines share. */
export function socketOptions(extra: Partial<ServerOptions>): Partial<ServerOptions> {
  return { ...extra, transports: ['websocket'], serveClient: false };
}

/** Hubs open in this process, and whether one of them runs on uWS. */
const open = { hubs: 0, uws: false };

/** Binds the port; rejects with a message naming PORT when it cannot. */
export async function listenHub(options: ListenOptions): Promise<ListeningHub> {
  if (open.uws || (options.engine === 'uws' && open.hubs > 0)) {
    throw new CodedError('engine.unavailable', 'a uWebSockets.js hub cannot share its process with another hub (socket.io patches its adapter globally)');
  }
  const listening = await (options.engine === 'uws' ? listenUws(options) : listenWs(options));
  open.hubs++;
  open.uws ||= options.engine === 'uws';
  let closed = false;
  return {
    ...listening,
    async close() {
      await listening.close();
      if (closed) return;
      closed = true;
      open.hubs--;
      if (options.engine === 'uws') open.uws = false;
    },
  };
}

function listenUws(options: ListenOptions): Promise<ListeningHub> {
  const loaded = loadUwsOrRefuse();
  if (!loaded.ok) return Promise.reject(new CodedError(loaded.code, loaded.message));
  const { uws } = loaded;
  const app = uws.App();
  const io: HubIo = new Server(socketOptions(options.io));
  io.attachApp(app);
  publishRoomsNatively(io, app);
  serveOnUws(app, options.http);
  return new Promise((resolve, reject) => {
    app.listen(options.host, options.port, UWS_EXCLUSIVE_PORT, (socket: us_listen_socket | false) => {
      if (!socket) {
        // The native module says only "no"; ask the kernel why, so the message can say "taken".
        void portTaken(options).then((taken) => reject(cannotListen(options, taken ? 'EADDRINUSE' : undefined)));
        return;
      }
      let listening: us_listen_socket | null = socket;
      const stopAccepting = () => {
        if (listening) uws.us_listen_socket_close(listening);
        listening = null;
      };
      resolve({
        io,
        port: uws.us_socket_local_port(socket),
        stopAccepting,
        async close() {
          stopAccepting();
          await io.close();
        },
      });
    });
  });
}

function listenWs(options: ListenOptions): Promise<ListeningHub> {
  const server = createServer(nodeRequestListener(options.http));
  const io: HubIo = new Server(server, socketOptions(options.io));
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(cannotListen(options, error.code)));
    server.listen(options.port, options.host, () => {
      const address = server.address();
      resolve({
        io,
        port: typeof address === 'object' && address !== null ? address.port : options.port,
        stopAccepting: () => {
          if (server.listening) server.close();
        },
        async close() {
          if (server.listening) server.close();
          server.closeAllConnections(); // keep-alive HTTP clients would otherwise hold io.close() open
          await io.close();
        },
      });
    });
  });
}

/** Why the port could not be had, in words that say what to do. */
export function cannotListen(options: Pick<ListenOptions, 'host' | 'port'>, errno?: string): Error {
  const where = `${options.host}:${options.port}`;
  if (errno === 'EADDRINUSE') {
    return new Error(`cannot listen on ${where}: the port is taken by another process (another hub on this port?); stop it, or set PORT to a free port`);
  }
  const why = errno === 'EACCES' ? 'not permitted' : errno === 'EADDRNOTAVAIL' ? `HOST=${options.host} is not an address of this machine` : 'in use or not permitted';
  return new Error(`cannot listen on ${where} (${why}); set PORT to a free port${errno === 'EADDRNOTAVAIL' ? ' and HOST to an address of this machine' : ''}`);
}

/**
 * Refuses early, before a `main` opens stores and starts timers, when another process holds the
 * port; `listenHub` checks again when it binds (the port may be taken in between).
 */
export async function assertPortFree(options: Pick<ListenOptions, 'host' | 'port'>): Promise<void> {
  if (options.port !== 0 && (await portTaken(options))) throw cannotListen(options, 'EADDRINUSE');
}

/** True when a plain listener on the same address is refused with EADDRINUSE. */
function portTaken(options: Pick<ListenOptions, 'host' | 'port'>): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ host: options.host, port: options.port, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}
