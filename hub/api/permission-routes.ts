/**
 * What the signed-in person's role may do, read from the one policy table, so staff screens show
 * only what the hub would allow (they still get refused by the same table if they try anyway).
 *
 *   GET /api/me/permissions   people   {role, actions: [policy action names it allows]}
 */
import { accept } from '../../machines/errors.js';
import type { Permissions } from '../../machines/contract/accounts.js';
import type { Policy } from '../policy/policy-table.js';
import type { ApiRoute } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { personFrom } from './http-auth.js';

/** The permissions route over a hub's policy (the table and its modules' rows). */
export function permissionRoutes(deps: { auth: HttpAuth; policy: Pick<Policy, 'rows' | 'decide'> }): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/api/me/permissions',
      handler: async (req) => {
        const person = await personFrom(req, deps.auth);
        if (!person.ok) return person;
        // No facts: an ownership rule that needs a booking's owner is not granted by the role alone.
        const actions = Object.keys(deps.policy.rows).filter((action) => deps.policy.decide(person.data, action).allowed);
        const answer: Permissions = { role: person.data.role, actions };
        return accept(answer);
      },
    },
  ];
}
