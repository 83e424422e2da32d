/**
 * Browser Origin check for socket handshakes (engine.io `allowRequest`), so that a page on a foreign
 * site cannot open a socket with a visitor's or admin's credentials (cross-site WebSocket hijacking).
 *
 *   no Origin header         ──▶ allowed (devices, the SDK in Node, load tests: not a browser)
 *   Origin = this host       ──▶ allowed (the web clients this hub serves itself)
 *   ALLOWED_ORIGINS = ['*']  ──▶ allowed
 *   Origin in the list       ──▶ allowed
 *   anything else            ──▶ HTTP error before the upgrade (engine.io: 403 on uWebSockets.js,
 *                                400 on the ws engine), body message starting with `auth.origin`
 *
 * The refusal happens before the WebSocket exists, so it cannot be a socket.io `connect_error`
 * with data: browsers only see a failed upgrade. The code is in the response body for tools that read it.
 */
import type { IncomingMessage } from 'node:http';

/** The engine.io `allowRequest` hook's signature. */
export type AllowRequest = (req: IncomingMessage, fn: (err: string | null | undefined, success: boolean) => void) => void;

/** Whether a request with this Origin (and Host) header may open a socket. */
export function isOriginAllowed(allowed: readonly string[], origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*')) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null" of sandboxed frames and file: pages
  }
  if (allowed.includes(url.origin)) return true;
  return host !== undefined && url.host === host.toLowerCase();
}

/** The `allowRequest` hook enforcing ALLOWED_ORIGINS; `onRefused` counts and logs refusals. */
export function createOriginCheck(allowed: readonly string[], onRefused: (origin: string) => void = () => {}): AllowRequest {
  return (req, fn) => {
    const origin = headerOf(req.headers.origin);
    if (isOriginAllowed(allowed, origin, headerOf(req.headers.host))) return fn(null, true);
    onRefused(origin ?? '');
    fn(`auth.origin: origin ${JSON.stringify(origin)} may not open sockets on this hub; add it to ALLOWED_ORIGINS`, false);
  };
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
