/**
 * The module list holds together: every row of the policy table belongs to exactly one module, the
 * runtime below the edge runs the same modules in the same order, and no two modules route one
 * socket event or define one actor kind.
 */
import { describe, expect, it } from 'vitest';
import { VENUE_RUNTIME_MODULES } from '../../workers/modules/venue-runtime-modules.js';
import { definitionsOf } from '../../workers/runtime.js';
import { POLICY, createPolicy } from '../policy/policy-table.js';
import { VENUE_MODULES } from './index.js';

describe('the venue module list', () => {
  it('claims every action of the policy table once', () => {
    const claimed = VENUE_MODULES.flatMap((m) => Object.keys(m.policy ?? {}));
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort()).toEqual(Object.keys(POLICY).sort());
    expect(() => createPolicy(VENUE_MODULES.flatMap((m) => (m.policy === undefined ? [] : [m.policy])))).not.toThrow();
  });

  it('runs, below the edge, the same modules in the same order as the hub', () => {
    const runtimeNames = new Set(VENUE_RUNTIME_MODULES.map((m) => m.name));
    expect(VENUE_MODULES.map((m) => m.name).filter((name) => runtimeNames.has(name))).toEqual(VENUE_RUNTIME_MODULES.map((m) => m.name));
    const kinds = definitionsOf(VENUE_MODULES).map((d) => d.kind);
    expect(kinds).toEqual(definitionsOf(VENUE_RUNTIME_MODULES).map((d) => d.kind));
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('refuses a second row for an action the table already has', () => {
    const [first] = Object.entries(POLICY);
    if (!first) throw new Error('empty policy');
    expect(() => createPolicy([{ [first[0]]: { ...first[1] } }])).toThrow(/defined twice/);
  });
});
