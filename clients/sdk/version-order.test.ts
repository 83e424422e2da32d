import { describe, expect, it } from 'vitest';
import { decideVersion } from './version-order.js';

describe('decideVersion', () => {
  it('applies the first state heard of, whatever its source', () => {
    expect(decideVersion(undefined, 7, 'change')).toBe('apply');
    expect(decideVersion(undefined, 1, 'subscribe')).toBe('apply');
  });
  it('ignores older and equal versions', () => {
    expect(decideVersion(5, 5, 'change')).toBe('ignore');
    expect(decideVersion(5, 4, 'resync')).toBe('ignore');
  });
  it('applies the next version and flags a skip ahead in change notices as a gap', () => {
    expect(decideVersion(5, 6, 'change')).toBe('apply');
    expect(decideVersion(5, 8, 'change')).toBe('apply-gap');
  });
  it('never counts a (re-)subscribe answer as a gap', () => {
    expect(decideVersion(5, 9, 'resync')).toBe('apply');
    expect(decideVersion(5, 9, 'subscribe')).toBe('apply');
  });
});
