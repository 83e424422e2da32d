/**
 * HTTP from many client addresses on one machine. The hub limits `/api/auth/*` per client address
 * (60 a minute, bursts of 30), as it should for the internet; a test or bench standing in for
 * hundreds of visitors gives each group of them its own source address in 127.0.0.0/8 (all of it
 * is loopback on Linux), exactly as that many households would arrive from their own addresses.
 *
 *   loopbackFetch('127.0.0.7') ──http.request({localAddress})──▶ hub sees remoteAddress 127.0.0.7
 */
import { request } from 'node:http';
import type { FetchLike } from '../../clients/sdk/hub-api.js';

/** The n-th spare loopback address (n ≥ 0): 127.1.0.1, 127.1.0.2, … (127.0.0.0/16 is left alone). */
export function loopbackAddress(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 250 * 250 * 250) throw new RangeError(`no loopback address #${n}`);
  return `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

/** A `fetch` for plain http:// URLs whose connections leave from `localAddress`. */
export function loopbackFetch(localAddress: string): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:') return reject(new TypeError(`loopbackFetch speaks http only, not ${target.protocol}`));
      const req = request(
        { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: init.method, headers: init.headers, localAddress, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (typeof value === 'string') headers.set(name, value);
              else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
            }
            const status = res.statusCode ?? 0;
            const empty = status === 204 || status === 304;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}
