/**
 * docs/roles.md is the policy table printed: this test fails when the page is stale.
 * `UPDATE_ROLES_DOC=1 npx vitest run hub/policy/roles-doc.test.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY, renderRolesPage } from './policy-table.js';

const FILE = 'docs/roles.md';

describe('docs/roles.md', () => {
  it('is the policy table as it is', () => {
    const page = renderRolesPage();
    if (process.env['UPDATE_ROLES_DOC'] === '1') writeFileSync(FILE, page);
    const current = readFileSync(FILE, 'utf8');
    expect(current, 'docs/roles.md is stale: run UPDATE_ROLES_DOC=1 npx vitest run hub/policy/roles-doc.test.ts').toBe(page);
  });

  it('every privileged action names the roles that may do it, and no device does a privileged action', () => {
    for (const [action, rule] of Object.entries(POLICY)) {
      if (!rule.privileged) continue;
      expect(rule.roles.length, action).toBeGreaterThan(0);
      expect(rule.devices, action).toEqual([]);
    }
  });
});
