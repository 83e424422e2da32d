/**
 * The HTTP edge on uWebSockets.js: health and readiness today; the socket server attaches to
 * the same app. Every route answers JSON.
 */
import uws from 'uWebSockets.js';
import type { HttpResponse, us_listen_socket } from 'uWebSockets.js';
import type { Logger } from '../workers/logger.js';
import type { Runtime } from '../workers/runtime.js';

export interface HttpEdge {
  readonly port: number;
  readonly app: uws.TemplatedApp;
  /** Stops accepting connections (the first step of a drain). */
  close(): void;
}

function json(res: HttpResponse, status: string, body: unknown): void {
  res.cork(() => {
    res.writeStatus(status).writeHeader('content-type', 'application/json').end(JSON.stringify(body));
  });
}

/** Starts listening; resolves with the bound port (useful with port 0). */
export function startHttpEdge(deps: { host: string; port: number; runtime: Runtime; log: Logger }): Promise<HttpEdge> {
  const app = uws.App();
  let ready = true;
  app.get('/healthz', (res) => json(res, '200 OK', { ok: true }));
  app.get('/readyz', (res) => {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    deps.runtime.store.ledger.level('__readiness__').then(
      () => !aborted && json(res, ready ? '200 OK' : '503 Service Unavailable', { ok: ready }),
      (error: unknown) => !aborted && json(res, '503 Service Unavailable', { ok: false, code: 'store.unavailable', message: String(error) }),
    );
  });
  app.any('/*', (res) => json(res, '404 Not Found', { ok: false, code: 'route.not_found', message: 'no such route' }));

  return new Promise((resolve, reject) => {
    app.listen(deps.host, deps.port, (socket: us_listen_socket | false) => {
      if (!socket) return reject(new Error(`cannot listen on ${deps.host}:${deps.port} (in use or not permitted); set PORT to a free port`));
      resolve({
        port: uws.us_socket_local_port(socket),
        app,
        close() {
          ready = false;
          uws.us_listen_socket_close(socket);
        },
      });
    });
  });
}
