/**
 * Stored snapshots of every ticket machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored here the way the host restores one
 * (migrate, zod parse, then `resolveState`, then a status check).
 */
import { describe, expect, it } from 'vitest';
import { CodedError } from './errors.js';
import { TICKET_MACHINE_VERSION, ticketDefinition, ticketMachine } from './ticket.machine.js';
import { TICKET_FINAL_STATES, TICKET_STATES, TicketPersisted } from './ticket.schemas.js';
import type { TicketState } from './ticket.schemas.js';
import { reachTicket, stepTicket } from './ticket.test-support.js';
import v1Revoked from './fixtures/ticket.v1.revoked.json' with { type: 'json' };
import v1Valid from './fixtures/ticket.v1.valid.json' with { type: 'json' };

const V1: Record<TicketState, unknown> = { valid: v1Valid, revoked: v1Revoked };

/** Restores a stored snapshot as the host does: migrate, parse, resolve, check the status. */
function restore(stored: unknown, fromVersion: number) {
  const migrated = fromVersion === TICKET_MACHINE_VERSION ? stored : ticketDefinition.migrate(stored, fromVersion);
  const parsed = TicketPersisted.parse(migrated);
  return ticketMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

describe('ticket fixtures v1', () => {
  it.each(TICKET_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state], 1);
    expect(snapshot.status).not.toBe('error');
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe((TICKET_FINAL_STATES as readonly string[]).includes(state) ? 'done' : 'active');
  });

  // Catches a change of XState's persisted format or of the context while the version stays 1.
  it.each(TICKET_STATES)('the current machine still persists %s exactly as the v1 fixture', (state) => {
    expect(TICKET_MACHINE_VERSION).toBe(1);
    const persisted = ticketMachine.getPersistedSnapshot(reachTicket(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V1[state]);
  });

  it('a restored valid ticket can still be revoked', () => {
    const revoked = stepTicket(restore(V1.valid, 1), { type: 'ticket.revoke', reason: 'booking.cancelled', at: 5 });
    expect(revoked.snapshot.value).toBe('revoked');
  });
});

describe('ticket snapshot schema', () => {
  const valid = V1.valid as Record<string, unknown>;

  it('refuses an unknown state, a status that disagrees with the state, children or a broken context', () => {
    expect(TicketPersisted.safeParse({ ...valid, value: 'used' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, status: 'done' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...(V1.revoked as object), status: 'active' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, children: { x: {} } }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, context: { ticketId: 'bk_1-t1' } }).success).toBe(false);
  });
});

describe('ticket migrate', () => {
  it('passes a version 1 snapshot through unchanged', () => {
    expect(ticketDefinition.migrate(V1.valid, 1)).toBe(V1.valid);
  });

  it.each([0, 2, -1, Number.NaN])('refuses version %s with snapshot.unsupported_version', (version) => {
    let thrown: unknown;
    try {
      ticketDefinition.migrate(V1.valid, version);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodedError);
    expect(thrown).toMatchObject({ code: 'snapshot.unsupported_version' });
  });

  it('describes the ticket kind to the host', () => {
    expect(ticketDefinition).toMatchObject({ kind: 'ticket', version: 1, machine: ticketMachine, snapshot: TicketPersisted });
    expect(ticketDefinition.events.safeParse({ type: 'ticket.revoke', reason: 'x', at: 1 }).success).toBe(true);
    expect(ticketDefinition.events.safeParse({ type: 'booking.cancel' }).success).toBe(false);
  });
});
