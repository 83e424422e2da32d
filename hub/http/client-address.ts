/**
 * Who is asking: the peer's address, unless the peer is a proxy we were told to trust
 * (TRUSTED_PROXIES), in which case X-Forwarded-For says who it forwarded for.
 *
 *   X-Forwarded-For: <spoofed?>, <client>, <proxy 1>      peer = proxy 2 (trusted)
 *                                   ▲ read right to left, skipping trusted proxies: the first
 *                                     untrusted hop is the client (anything further left was
 *                                     written by that client and proves nothing)
 *
 * A peer we do not trust gets its own address, whatever headers it sends, so a visitor cannot
 * pick a fresh rate-limit budget per request by inventing X-Forwarded-For.
 */
import { BlockList, isIP } from 'node:net';
import type { HttpRequestInfo } from './routes.js';

/** Names that stand for ranges, for settings that should not hard-code a network's addresses. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Which peers may tell us the client's address. */
export interface TrustedProxies {
  trusts(address: string): boolean;
}

/** Trusts nobody: every request is from its peer. */
export const NO_TRUSTED_PROXIES: TrustedProxies = { trusts: () => false };

/** Why an entry is not an address, a range or a range name; null when it is one. */
export function proxyEntryProblem(entry: string): string | null {
  if (NAMED_RANGES[entry] !== undefined || isIP(entry) !== 0) return null;
  const [address = '', bits = '', ...rest] = entry.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family !== 0 && rest.length === 0 && /^\d+$/.test(bits) && Number(bits) <= max) return null;
  return `"${entry}" is not an IP address, a CIDR range (10.0.0.0/8) or one of ${Object.keys(NAMED_RANGES).join(', ')}`;
}

/** Builds the set from entries that `proxyEntryProblem` accepted. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return NO_TRUSTED_PROXIES;
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return { trusts: (address) => { const bare = normalise(address); return bare !== null && list.check(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4'); } };
}

/** The client's address for a request, by the rule above; undefined when the peer is unknown. */
export function clientAddress(req: Pick<HttpRequestInfo, 'remoteAddress' | 'headers'>, trusted: TrustedProxies): string | undefined {
  const peer = req.remoteAddress === undefined ? null : normalise(req.remoteAddress);
  if (peer === null || !trusted.trusts(peer)) return peer ?? req.remoteAddress;
  const hops = (req.headers['x-forwarded-for'] ?? '').split(',').map((h) => normalise(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (hop === null || hop === undefined) return peer; // a garbled header: fall back to the proxy itself
    if (!trusted.trusts(hop)) return hop;
  }
  return peer; // every hop is a trusted proxy: the request started inside
}

/** A bare IP address (IPv4-mapped IPv6 as IPv4, no brackets, no zone), or null. */
function normalise(address: string): string | null {
  let bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4) bare = bare.slice(7);
  return isIP(bare) === 0 ? null : bare;
}
