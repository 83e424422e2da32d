/**
 * The audit-log and revocation half of the store contract, registered by
 * `describeActorStoreContract` inside its describe block.
 */
import { describe, expect, it } from 'vitest';
import type { ActorStore, AuditEntry } from './actor-store.js';

const entry = (at: number, who: string, outcome: AuditEntry['outcome'] = 'allowed'): AuditEntry => ({
  at,
  who,
  role: 'booking_admin',
  action: 'booking.approve',
  target: `booking/b${at}`,
  outcome,
  code: outcome === 'allowed' ? null : 'auth.forbidden',
  detail: outcome === 'allowed' ? null : { reason: 'not your role' },
});

/** Registers the audit and revocation tests; `current` returns the store of the running test. */
export function describeAccessContract(current: () => ActorStore): void {
  describe('audit log', () => {
    it('keeps every entry, newest first, filterable by who and time', async () => {
      const { audit } = current();
      await audit.append(entry(10, 'user:a'));
      await audit.append(entry(20, 'user:b', 'denied'));
      await audit.append(entry(30, 'user:a', 'failed'));
      expect((await audit.list({ limit: 10 })).map((e) => [e.at, e.who, e.outcome])).toEqual([
        [30, 'user:a', 'failed'],
        [20, 'user:b', 'denied'],
        [10, 'user:a', 'allowed'],
      ]);
      expect(await audit.list({ limit: 10, who: 'user:b' })).toEqual([entry(20, 'user:b', 'denied')]);
      expect((await audit.list({ limit: 10, since: 20 })).map((e) => e.at)).toEqual([30, 20]);
      expect(await audit.list({ limit: 1 })).toHaveLength(1);
    });
  });

  describe('revocations', () => {
    it('records a cut-off per subject that only moves forward', async () => {
      const { revocations } = current();
      expect(await revocations.revokedBefore('device:gate-1')).toBeNull();
      await revocations.revoke('device:gate-1', 1000, 'lost', 'user:admin', 1);
      expect(await revocations.revokedBefore('device:gate-1')).toBe(1000);
      await revocations.revoke('device:gate-1', 500, 'stale replay', 'user:admin', 2);
      expect(await revocations.revokedBefore('device:gate-1')).toBe(1000);
      await revocations.revoke('device:gate-1', 2000, 'stolen', 'user:admin', 3);
      expect(await revocations.revokedBefore('device:gate-1')).toBe(2000);
      expect(await revocations.revokedBefore('user:someone')).toBeNull();
    });
  });
}
