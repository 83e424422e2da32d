/**
 * Stored snapshots of every ticket machine version must stay restorable: each fixture is a
 * `getPersistedSnapshot()` written by that version, restored here the way the host restores one
 * (migrate, zod parse, then `resolveState`, then a status check).
 */
import { describe, expect, it } from 'vitest';
import { CodedError } from './errors.js';
import { TICKET_MACHINE_VERSION, ticketDefinition, ticketMachine } from './ticket.machine.js';
import { TICKET_FINAL_STATES, TICKET_STATES, TICKET_V1_STATES, TICKET_V2_STATES, TicketPersisted } from './ticket.schemas.js';
import type { TicketState } from './ticket.schemas.js';
import { ENTRY_SCAN, reachTicket, stepTicket } from './ticket.test-support.js';
import v1Revoked from './fixtures/ticket.v1.revoked.json' with { type: 'json' };
import v1Valid from './fixtures/ticket.v1.valid.json' with { type: 'json' };
import v2Inside from './fixtures/ticket.v2.inside.json' with { type: 'json' };
import v2Revoked from './fixtures/ticket.v2.revoked.json' with { type: 'json' };
import v2Valid from './fixtures/ticket.v2.valid.json' with { type: 'json' };
import v3Inside from './fixtures/ticket.v3.inside.json' with { type: 'json' };
import v3Revoked from './fixtures/ticket.v3.revoked.json' with { type: 'json' };
import v3Used from './fixtures/ticket.v3.used.json' with { type: 'json' };
import v3Valid from './fixtures/ticket.v3.valid.json' with { type: 'json' };

const V1: Record<(typeof TICKET_V1_STATES)[number], unknown> = { valid: v1Valid, revoked: v1Revoked };
const V2: Record<(typeof TICKET_V2_STATES)[number], unknown> = { valid: v2Valid, inside: v2Inside, revoked: v2Revoked };
const V3: Record<TicketState, unknown> = { valid: v3Valid, inside: v3Inside, used: v3Used, revoked: v3Revoked };

/** Restores a stored snapshot as the host does: migrate, parse, resolve, check the status. */
function restore(stored: unknown, fromVersion: number) {
  const migrated = fromVersion === TICKET_MACHINE_VERSION ? stored : ticketDefinition.migrate(stored, fromVersion);
  const parsed = TicketPersisted.parse(migrated);
  return ticketMachine.resolveState({ value: parsed.value, context: parsed.context, status: parsed.status });
}

const isFinal = (state: string) => (TICKET_FINAL_STATES as readonly string[]).includes(state);

describe('ticket fixtures v1 (through the v1 → v2 migration)', () => {
  it.each(TICKET_V1_STATES)('restores %s', (state) => {
    const snapshot = restore(V1[state], 1);
    expect(snapshot.status).not.toBe('error');
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(isFinal(state) ? 'done' : 'active');
  });

  it('a restored v1 valid ticket is outside: it can be revoked or scanned in', () => {
    const revoked = stepTicket(restore(V1.valid, 1), { type: 'ticket.revoke', reason: 'booking.cancelled', at: 5 });
    expect(revoked.snapshot.value).toBe('revoked');
    const inside = stepTicket(restore(V1.valid, 1), ENTRY_SCAN);
    expect(inside.snapshot.value).toBe('inside');
    expect(inside.snapshot.context.lastEntry).toEqual({ at: ENTRY_SCAN.at, gateId: 'g1', nonce: ENTRY_SCAN.nonce });
  });

  it('a restored v1 revoked ticket accepts no scan', () => {
    expect(restore(V1.revoked, 1).can(ENTRY_SCAN)).toBe(false);
  });
});

describe('ticket fixtures v2 (through the v2 → v3 migration)', () => {
  it.each(TICKET_V2_STATES)('restores %s', (state) => {
    const snapshot = restore(V2[state], 2);
    expect(snapshot.status).not.toBe('error');
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(isFinal(state) ? 'done' : 'active');
  });

  it('a restored v2 inside ticket (entry without a nonce) can be scanned out and gives back its stay', () => {
    const out = stepTicket(restore(V2.inside, 2), { ...ENTRY_SCAN, direction: 'exit', nonce: 'nonce-exit-1', at: ENTRY_SCAN.at + 1 });
    expect(out.snapshot.value).toBe('valid');
    const exited = out.actions.find((a) => a.type === 'xstate.emit');
    expect(exited?.params).toMatchObject({ event: { type: 'ticket.exited', holdId: `in:bk_1-t1:${String(ENTRY_SCAN.at)}`, used: false } });
  });
});

describe('ticket fixtures v3', () => {
  it.each(TICKET_STATES)('restores %s', (state) => {
    const snapshot = restore(V3[state], 3);
    expect(snapshot.status).not.toBe('error');
    expect(snapshot.value).toBe(state);
    expect(snapshot.status).toBe(isFinal(state) ? 'done' : 'active');
  });

  // Catches a change of XState's persisted format or of the context while the version stays 3.
  it.each(TICKET_STATES)('the current machine still persists %s exactly as the v3 fixture', (state) => {
    expect(TICKET_MACHINE_VERSION).toBe(3);
    const persisted = ticketMachine.getPersistedSnapshot(reachTicket(state).snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual(V3[state]);
  });
});

describe('ticket snapshot schema', () => {
  const valid = V1.valid as Record<string, unknown>;

  it('refuses an unknown state, a status that disagrees with the state, children or a broken context', () => {
    expect(TicketPersisted.safeParse({ ...valid, value: 'gone' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, status: 'done' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...(V1.revoked as object), status: 'active' }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, children: { x: {} } }).success).toBe(false);
    expect(TicketPersisted.safeParse({ ...valid, context: { ticketId: 'bk_1-t1' } }).success).toBe(false);
  });
});

describe('ticket migrate', () => {
  it('carries a version 1 snapshot over unchanged (v1 valid is the v2 outside state)', () => {
    expect(ticketDefinition.migrate(V1.valid, 1)).toEqual(V1.valid);
    expect(TicketPersisted.safeParse(ticketDefinition.migrate(V1.revoked, 1)).success).toBe(true);
  });

  it('carries a version 2 snapshot over unchanged', () => {
    expect(ticketDefinition.migrate(V2.inside, 2)).toEqual(V2.inside);
  });

  it.each([0, 3, 4, -1, Number.NaN])('refuses version %s with snapshot.unsupported_version', (version) => {
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
    expect(ticketDefinition).toMatchObject({ kind: 'ticket', version: 3, machine: ticketMachine, snapshot: TicketPersisted });
    expect(ticketDefinition.events.safeParse({ type: 'ticket.revoke', reason: 'x', at: 1 }).success).toBe(true);
    expect(ticketDefinition.events.safeParse(ENTRY_SCAN).success).toBe(true);
    expect(ticketDefinition.events.safeParse({ ...ENTRY_SCAN, direction: 'sideways' }).success).toBe(false);
    expect(ticketDefinition.events.safeParse({ type: 'booking.cancel' }).success).toBe(false);
  });
});
