/**
 * The module list holds together: every row of the policy table belongs to exactly one module, and
 * no two modules share a name, define one actor kind or keep one read model. It is the only list:
 * both mains, the hub and `npm run projections:rebuild` iterate it, and nothing below the edge
 * keeps another.
 */
import { describe, expect, it } from 'vitest';
import { LISTS } from '../../machines/contract/wire.js';
import { definitionsOf, projectionsOf } from '../../workers/runtime.js';
import { POLICY, createPolicy } from '../policy/policy-table.js';
import { VENUE_MODULES } from './index.js';

describe('the venue module list', () => {
  it('claims every action of the policy table once', () => {
    const claimed = VENUE_MODULES.flatMap((m) => Object.keys(m.policy ?? {}));
    expect(new Set(claimed).size).toBe(claimed.length);
    expect([...claimed].sort()).toEqual(Object.keys(POLICY).sort());
    expect(() => createPolicy(VENUE_MODULES.flatMap((m) => (m.policy === undefined ? [] : [m.policy])))).not.toThrow();
  });

  it('is the one list: each module once, each actor kind and read model defined by one module', () => {
    const names = VENUE_MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    const kinds = definitionsOf(VENUE_MODULES).map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const models = projectionsOf(VENUE_MODULES, 'Asia/Riyadh').map((spec) => spec.name);
    expect(new Set(models).size).toBe(models.length);
    // The read models staff list and the feeds read are all kept by some module of the list.
    expect(models).toEqual(expect.arrayContaining([...LISTS]));
  });

  it('refuses a second row for an action the table already has', () => {
    const [first] = Object.entries(POLICY);
    if (!first) throw new Error('empty policy');
    expect(() => createPolicy([{ [first[0]]: { ...first[1] } }])).toThrow(/defined twice/);
  });
});
