import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin.js';

describe('isOriginAllowed', () => {
  it('allows clients without an Origin and pages of this host, whatever the list', () => {
    expect(isOriginAllowed([], undefined, 'hub.example:8080')).toBe(true);
    expect(isOriginAllowed([], '', 'hub.example:8080')).toBe(true);
    expect(isOriginAllowed([], 'https://hub.example:8080', 'hub.example:8080')).toBe(true);
    expect(isOriginAllowed(['https://other.example'], 'http://HUB.example:8080', 'hub.example:8080')).toBe(true);
  });

  it('allows listed origins and everything with *', () => {
    expect(isOriginAllowed(['https://venue.example'], 'https://venue.example', 'hub:1')).toBe(true);
    expect(isOriginAllowed(['*'], 'https://anything.example', 'hub:1')).toBe(true);
  });

  it('refuses foreign, look-alike, opaque and malformed origins', () => {
    for (const origin of ['https://evil.example', 'https://venue.example.evil.example', 'http://venue.example', 'https://venue.example:444', 'null', 'not a url']) {
      expect(isOriginAllowed(['https://venue.example'], origin, 'hub.example:8080'), origin).toBe(false);
    }
    expect(isOriginAllowed([], 'https://hub.example:9999', 'hub.example:8080')).toBe(false);
    expect(isOriginAllowed([], 'https://evil.example', undefined)).toBe(false);
  });
});
