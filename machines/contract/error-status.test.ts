import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors.js';
import { ERROR_STATUS, codesWithStatus, statusOf } from './error-status.js';

describe('the error code → HTTP status table', () => {
  it('maps every code, and nothing else, to one refusal status', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect([400, 401, 403, 404, 409, 413, 429, 500, 503]).toContain(statusOf(code));
  });

  it('keeps the families apart: who you are, what you may, what exists, what to retry', () => {
    expect(statusOf('auth.expired')).toBe(401);
    expect(statusOf('auth.forbidden')).toBe(403);
    expect(statusOf('account.suspended')).toBe(403);
    expect(statusOf('actor.not_found')).toBe(404);
    expect(statusOf('slot.sold_out')).toBe(409);
    expect(statusOf('rate.limited')).toBe(429);
    expect(statusOf('hub.draining')).toBe(503);
    expect(statusOf('payment.signature')).toBe(401);
    expect(codesWithStatus(500)).toEqual(expect.arrayContaining(['internal', 'snapshot.invalid']));
  });
});
