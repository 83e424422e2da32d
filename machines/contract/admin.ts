/**
 * Administration in the contract: device tokens and the audit trail.
 */
import { z } from 'zod';
import { DEVICE_KINDS, Id } from './common.js';
import { httpRoute } from './contract.js';

const ScopeId = z.string().min(1).max(128);

/** What a device token may act on. */
export const DeviceScope = z.strictObject({
  zone: ScopeId.optional(),
  gateId: ScopeId.optional(),
  lockerBankId: ScopeId.optional(),
  /** A kitchen board's station (it shows and bumps that station's tickets); none: the expo board. */
  station: ScopeId.optional(),
});

/** A device token request. */
export const DeviceRequest = z.strictObject({
  deviceId: Id,
  deviceKind: z.enum(DEVICE_KINDS),
  scope: DeviceScope.default({}),
});

/** One audit row. */
export const AuditEntry = z.object({
  at: z.number().int(),
  who: z.string().describe('user:<id>, device:<id> or system'),
  role: z.string(),
  action: z.string().describe('The policy action, e.g. booking.approve, payment.refund.'),
  target: z.string().nullable(),
  outcome: z.enum(['allowed', 'denied', 'failed']),
  code: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

const ConsoleParams = z.strictObject({ page: z.string().max(64), id: z.string().max(128).optional() });

/** The HTTP routes of administration. */
export const ADMIN_ROUTES = {
  consolePage: httpRoute({ method: 'GET', path: '/admin', answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The admin console (clients/web): sign in with an emailed code; each role sees what the policy table lets it do.' }),
  consoleSection: httpRoute({ method: 'GET', path: '/admin/:page', params: ConsoleParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The admin console on a section (dashboard, reviews, bookings, transactions, report, audit, staff, devices, support).' }),
  consoleItem: httpRoute({ method: 'GET', path: '/admin/:page/:id', params: ConsoleParams, answer: z.string(), produces: ['text/html'], auth: 'none', by: 'anyone', summary: 'The admin console on one item (a booking\'s detail and history).' }),
  devices: httpRoute({
    method: 'POST',
    path: '/api/admin/devices',
    body: DeviceRequest,
    answer: z.object({ deviceId: z.string(), token: z.string().describe('The device token: the socket handshake\'s auth.token.'), expiresAt: z.number().int() }),
    status: 201,
    auth: 'bearer',
    by: 'super admins',
    summary: 'Issue a device token (gate, locker, kitchen board, rental desk) scoped to a zone, gate, locker bank or kitchen station (audited).',
  }),
  audit: httpRoute({
    method: 'GET',
    path: '/api/admin/audit',
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      who: z.string().regex(/^((user|device):[A-Za-z0-9_.:-]{1,128}|system)$/, { error: 'user:<id>, device:<id> or system' }).optional(),
      since: z.coerce.number().int().nonnegative().optional(),
    }),
    answer: z.object({ entries: z.array(AuditEntry) }),
    auth: 'bearer',
    by: 'super and finance admins',
    summary: 'The audit trail, newest first.',
  }),
} as const;
