import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { clientAddress, NO_TRUSTED_PROXIES, trustedProxies } from './client-address.js';

function req(remoteAddress: string | undefined, xff?: string): { remoteAddress?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = xff === undefined ? {} : { 'x-forwarded-for': xff };
  return remoteAddress === undefined ? { headers } : { remoteAddress, headers };
}

describe('clientAddress', () => {
  it('ignores X-Forwarded-For from a peer nobody trusts', () => {
    expect(clientAddress(req('203.0.113.9', '198.51.100.1'), NO_TRUSTED_PROXIES)).toBe('203.0.113.9');
    expect(clientAddress(req('::ffff:203.0.113.9', '198.51.100.1'), trustedProxies(['10.0.0.0/8']))).toBe('203.0.113.9');
  });

  it('takes the first untrusted hop from the right when the peer is a trusted proxy', () => {
    const trusted = trustedProxies(['10.0.0.0/8', '192.168.1.5']);
    expect(clientAddress(req('10.1.2.3', '198.51.100.1'), trusted)).toBe('198.51.100.1');
    // A client that invents a header only adds hops to the left of what the proxy saw.
    expect(clientAddress(req('10.1.2.3', '1.2.3.4, 198.51.100.1'), trusted)).toBe('198.51.100.1');
    // Through two trusted proxies.
    expect(clientAddress(req('::ffff:10.1.2.3', '198.51.100.1, 192.168.1.5'), trusted)).toBe('198.51.100.1');
    // A trusted proxy without the header, or a garbled one: the proxy itself.
    expect(clientAddress(req('10.1.2.3'), trusted)).toBe('10.1.2.3');
    expect(clientAddress(req('10.1.2.3', 'not-an-ip'), trusted)).toBe('10.1.2.3');
  });

  it('knows loopback and private as ranges, and IPv6', () => {
    const trusted = trustedProxies(['loopback', 'private']);
    for (const proxy of ['127.0.0.1', '::1', '10.9.9.9', '172.20.0.4', '192.168.0.2', 'fd00::1']) expect(trusted.trusts(proxy), proxy).toBe(true);
    for (const outside of ['203.0.113.9', '172.32.0.1', '2001:db8::1']) expect(trusted.trusts(outside), outside).toBe(false);
    expect(clientAddress(req('::1', '2001:db8::7'), trusted)).toBe('2001:db8::7');
  });

  it('TRUSTED_PROXIES takes addresses, CIDR ranges and range names, and explains anything else', () => {
    const ok = loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.5,Private, ::1' }, { hostname: 'h', pid: 1 });
    expect(ok).toMatchObject({ ok: true, config: { TRUSTED_PROXIES: ['10.0.0.0/8', '192.168.1.5', 'private', '::1'] } });
    for (const bad of ['10.0.0.0/33', 'haproxy', '10.0.0/8']) {
      const refused = loadConfig({ TRUSTED_PROXIES: bad }, { hostname: 'h', pid: 1 });
      expect(refused.ok ? '' : refused.problems.join('\n'), bad).toMatch(/^TRUSTED_PROXIES=.*is not an IP address, a CIDR range .*e\.g\. TRUSTED_PROXIES=/);
    }
  });
});
