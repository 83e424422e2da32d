/**
 * Audit rows for the socket edge: every denied attempt, and every privileged action written
 * *before* it runs (so a crash between the two cannot leave an action without its row), plus a
 * `failed` row when the action was allowed but then refused (e.g. the booking was not in review).
 */
import { refuse } from '../../machines/errors.js';
import type { ErrorCode, Refusal } from '../../machines/errors.js';
import type { Logger } from '../../workers/logger.js';
import type { AuditLog } from '../../workers/store/actor-store.js';
import type { Principal } from '../auth/tokens.js';
import { subjectOf } from '../rooms.js';
import { roleOf } from './role-policy.js';
import type { Denied } from './role-policy.js';

/** Writes audit rows on behalf of socket handlers. */
export interface AuditTrail {
  /** Records a denial and returns it as the refusal to ack. Never throws. */
  deny(principal: Principal, action: string, target: string | null, denied: Denied, detail?: Record<string, unknown>): Promise<Refusal>;
  /** Records an allowed privileged action before it runs; false when the row could not be written. */
  allow(principal: Principal, action: string, target: string | null, detail?: Record<string, unknown>): Promise<boolean>;
  /** Records that an allowed privileged action was then refused. Never throws. */
  failed(principal: Principal, action: string, target: string | null, refusal: Refusal): Promise<void>;
}

/** Creates the trail over the store's audit log. */
export function createAuditTrail(deps: { audit: Pick<AuditLog, 'append'>; clock: () => number; log: Logger }): AuditTrail {
  async function write(
    principal: Principal,
    action: string,
    target: string | null,
    outcome: 'allowed' | 'denied' | 'failed',
    code: ErrorCode | null,
    detail: Record<string, unknown> | null,
  ): Promise<boolean> {
    try {
      await deps.audit.append({ at: deps.clock(), who: subjectOf(principal), role: roleOf(principal), action, target, outcome, code, detail });
      return true;
    } catch (error) {
      deps.log.error('audit row could not be written', { action, target, outcome, error: String(error) });
      return false;
    }
  }

  return {
    async deny(principal, action, target, denied, detail) {
      await write(principal, action, target, 'denied', denied.code, { message: denied.message, ...detail });
      return refuse(denied.code, denied.message);
    },
    allow: (principal, action, target, detail) => write(principal, action, target, 'allowed', null, detail ?? null),
    async failed(principal, action, target, refusal) {
      await write(principal, action, target, 'failed', refusal.code, { message: refusal.message });
    },
  };
}
