/**
 * The same HTTP routes on either engine: a catch-all uWebSockets.js route, or a Node `request`
 * listener (engine.io, attached to the same server, takes `/socket.io/` before it).
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { HttpAnswer, HttpHandler } from './routes.js';

/** Serves every path not taken by a more specific route (socket.io's) on a uWebSockets.js app. */
export function serveOnUws(app: TemplatedApp, handler: HttpHandler): void {
  app.any('/*', (res, req) => {
    // The uWS request object is only valid until this callback returns: copy what is needed first.
    const info = { method: req.getMethod().toUpperCase(), path: req.getUrl() };
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    void handler(info).then((answer) => {
      if (!aborted) writeUws(res, answer);
    });
  });
}

function writeUws(res: HttpResponse, answer: HttpAnswer): void {
  res.cork(() => {
    res.writeStatus(`${answer.status} ${STATUS_CODES[answer.status] ?? ''}`);
    for (const [name, value] of Object.entries(answer.headers)) res.writeHeader(name, value);
    res.end(answer.body);
  });
}

/** A Node `request` listener serving the routes. */
export function nodeRequestListener(handler: HttpHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const info = { method: (req.method ?? 'GET').toUpperCase(), path: query === -1 ? url : url.slice(0, query) };
    void handler(info).then((answer) => {
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  };
}
