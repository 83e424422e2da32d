/**
 * Loopback checks for development-only pages (the local mailbox): the listen address must be a
 * loopback one, and each request must come from a loopback peer without having passed a proxy.
 * A reverse proxy on the same machine connects from loopback too, so any forwarding header
 * counts as "from outside".
 */
import { isIP } from 'node:net';
import type { HttpRequestInfo } from './routes.js';

/** Headers a proxy adds when it forwards a request. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'] as const;

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped / fully written IPv6 forms. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  const groups = expandIpv6(bare);
  if (groups === null) return false;
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return true;
  // ::ffff:127.x.y.z (IPv4-mapped)
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  return mapped && (groups[6] ?? 0) >> 8 === 127;
}

/** True for a host name or address that only this machine can reach (`localhost`, loopback IPs). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || isLoopbackAddress(h);
}

/** True when the request reached the hub straight from this machine, not through a proxy. */
export function isDirectLoopbackRequest(req: Pick<HttpRequestInfo, 'remoteAddress' | 'headers'>): boolean {
  if (req.remoteAddress === undefined || !isLoopbackAddress(req.remoteAddress)) return false;
  return FORWARDING_HEADERS.every((name) => req.headers[name] === undefined);
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4 expanded). */
function expandIpv6(address: string): number[] | null {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: fill }, () => '0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
