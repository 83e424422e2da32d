/**
 * Who holds what: the capacity ledger's live holds as staff read them, to spot one account sitting
 * on a slot (each visitor's unpaid places are capped by HOLD_MAX_PLACES_PER_SLOT / HOLD_MAX_PLACES).
 *
 *   GET /api/admin/holds?slotId=     front desk   the slot's level, its holds (hold id = booking id, holder,
 *                                                 places, held | confirmed) and the places per holder
 *   GET /api/admin/holds?visitorId=  front desk   one visitor's holds over every slot and their unpaid total
 *
 * Front desk: super, booking and support admins. Refusals are audited by the staff gate.
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { CapacityLedger, SlotHold } from '../../workers/store/actor-store.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import type { ApiRoute } from './api-router.js';
import type { HttpAuth } from './http-auth.js';
import { staffRoutes } from './http-auth.js';

/** What the hold routes need. */
export interface HoldRouteDeps extends HttpAuth {
  ledger: Pick<CapacityLedger, 'level' | 'holdsOf' | 'holdsOfHolder'>;
  trail: AuditTrail;
}

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'letters, digits and _ . : - only' });
const HoldQuery = z.union([z.strictObject({ slotId: Id }), z.strictObject({ visitorId: Id })], {
  error: 'give exactly one of slotId and visitorId',
});

/** Places per holder in one slot: unpaid (held) and paid (confirmed); holds without a holder are left out. */
function byHolder(holds: readonly SlotHold[]): Array<{ holder: string; held: number; confirmed: number }> {
  const totals = new Map<string, { holder: string; held: number; confirmed: number }>();
  for (const hold of holds) {
    if (hold.holder === undefined) continue;
    const row = totals.get(hold.holder) ?? { holder: hold.holder, held: 0, confirmed: 0 };
    row[hold.status] += hold.qty;
    totals.set(hold.holder, row);
  }
  return [...totals.values()].sort((a, b) => b.held - a.held || b.confirmed - a.confirmed || a.holder.localeCompare(b.holder));
}

/** The staff route over the capacity ledger's holds. */
export function holdRoutes(deps: HoldRouteDeps): ApiRoute[] {
  const staffRoute = staffRoutes({ tokens: deps.tokens, revocations: deps.revocations }, deps.trail);
  return [
    staffRoute('GET', '/api/admin/holds', () => ({ action: 'holds.read', target: null }), async (_by, req) => {
      const query = HoldQuery.safeParse(Object.fromEntries(req.search));
      if (!query.success) return refuse('event.invalid', query.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
      if ('slotId' in query.data) {
        const { slotId } = query.data;
        const level = await deps.ledger.level(slotId);
        if (!level) return refuse('slot.not_found', `no slot ${slotId} in the ledger`);
        const holds = await deps.ledger.holdsOf(slotId);
        return accept({ slotId, level, holds, holders: byHolder(holds) });
      }
      const { visitorId } = query.data;
      const holds = await deps.ledger.holdsOfHolder(visitorId);
      const held = holds.filter((h) => h.status === 'held').reduce((sum, h) => sum + h.qty, 0);
      return accept({ visitorId, held, holds });
    }),
  ];
}
