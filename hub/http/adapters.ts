/**
 * The same HTTP routes on either engine: a catch-all uWebSockets.js route, or a Node `request`
 * listener (engine.io, attached to the same server, takes `/socket.io/` before it). Both read
 * headers, the query string and a body of at most MAX_HTTP_BODY_BYTES.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { HttpAnswer, HttpHandler, HttpRequestInfo } from './routes.js';
import { MAX_HTTP_BODY_BYTES, jsonAnswer } from './routes.js';

const TOO_LARGE = jsonAnswer(413, { ok: false, code: 'message.too_large', message: `request bodies are limited to ${MAX_HTTP_BODY_BYTES} bytes` });
const HAS_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Serves every path not taken by a more specific route (socket.io's) on a uWebSockets.js app. */
export function serveOnUws(app: TemplatedApp, handler: HttpHandler): void {
  app.any('/*', (res, req) => {
    // The uWS request object is only valid until this callback returns: copy what is needed first.
    const method = req.getMethod().toUpperCase();
    const headers: Record<string, string> = {};
    req.forEach((name, value) => {
      headers[name.toLowerCase()] = value;
    });
    const remoteAddress = Buffer.from(res.getRemoteAddressAsText()).toString();
    const head = { method, path: req.getUrl(), query: req.getQuery() ?? '', headers, remoteAddress };
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const respond = (answer: HttpAnswer) => {
      if (!aborted) writeUws(res, answer);
    };
    if (!HAS_BODY.has(method)) {
      void handler({ ...head, body: Buffer.alloc(0) }).then(respond);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    res.onData((chunk, isLast) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > MAX_HTTP_BODY_BYTES) {
        refused = true;
        respond(TOO_LARGE);
        return;
      }
      // uWS reuses the chunk's memory after this callback: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) void handler({ ...head, body: Buffer.concat(chunks) }).then(respond);
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
    const q = url.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const head: Omit<HttpRequestInfo, 'body'> = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      headers,
      ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
    };
    const respond = (answer: HttpAnswer) => {
      if (res.destroyed || res.headersSent) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_HTTP_BODY_BYTES) {
        respond(TOO_LARGE);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size <= MAX_HTTP_BODY_BYTES) void handler({ ...head, body: Buffer.concat(chunks) }).then(respond);
    });
  };
}
