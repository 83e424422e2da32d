import { describe, expect, it } from 'vitest';
import { TicketEvent, TicketInput } from './ticket.schemas.js';
import { ENTRY_SCAN, SLOT_END, SLOT_START, reachTicket, sampleTicketInput, startTicket, stepTicket } from './ticket.test-support.js';

describe('ticket: creation', () => {
  it('starts valid with the input as context and asks for nothing', () => {
    const { snapshot, actions } = startTicket();
    expect(snapshot.value).toBe('valid');
    expect(snapshot.status).toBe('active');
    expect(snapshot.context).toEqual(sampleTicketInput());
    expect(actions.filter((a) => a.type === 'xstate.emit' || a.type === 'xstate.raise')).toEqual([]);
  });

  it('keeps an optional holder name', () => {
    expect(startTicket(sampleTicketInput({ holderName: 'Sara' })).snapshot.context.holderName).toBe('Sara');
  });

  it('refuses an input whose window ends before it starts, or a ticket id that is no actor id', () => {
    const base = sampleTicketInput();
    expect(TicketInput.safeParse({ ...base, validUntil: SLOT_START }).success).toBe(false);
    expect(TicketInput.safeParse({ ...base, validFrom: SLOT_END + 1 }).success).toBe(false);
    expect(TicketInput.safeParse({ ...base, ticketId: 'bk 1/t1' }).success).toBe(false);
    expect(TicketInput.safeParse({ ...base, seq: 0 }).success).toBe(false);
    expect(TicketInput.safeParse({ ...base, holderName: '' }).success).toBe(false);
  });
});

describe('ticket: revocation', () => {
  it('revokes with the reason and time and is then done', () => {
    const { snapshot } = stepTicket(startTicket().snapshot, { type: 'ticket.revoke', reason: 'booking.refunded', at: 42 });
    expect(snapshot.value).toBe('revoked');
    expect(snapshot.status).toBe('done');
    expect(snapshot.context).toMatchObject({ revokedAt: 42, revokeReason: 'booking.refunded' });
  });

  it('accepts nothing once revoked', () => {
    const revoked = reachTicket('revoked').snapshot;
    expect(revoked.can({ type: 'ticket.revoke', reason: 'again', at: 43 })).toBe(false);
  });

  it('refuses a revoke without a reason or time at the schema', () => {
    expect(TicketEvent.safeParse({ type: 'ticket.revoke', at: 1 }).success).toBe(false);
    expect(TicketEvent.safeParse({ type: 'ticket.revoke', reason: 'x' }).success).toBe(false);
    expect(TicketEvent.safeParse({ type: 'ticket.scan' }).success).toBe(false);
  });
});

describe('ticket: gate scans', () => {
  const exit = { ...ENTRY_SCAN, direction: 'exit' as const, gateId: 'g2', nonce: 'nonce-exit-1', at: ENTRY_SCAN.at + 60_000 };

  it('an entry while outside goes inside and records when and where, asking for nothing', () => {
    const { snapshot, actions } = stepTicket(startTicket().snapshot, ENTRY_SCAN);
    expect(snapshot.value).toBe('inside');
    expect(snapshot.context.lastEntry).toEqual({ at: ENTRY_SCAN.at, gateId: 'g1' });
    expect(actions.filter((a) => a.type === 'xstate.emit' || a.type === 'xstate.raise')).toEqual([]);
  });

  it('refuses a second entry while inside, and an exit while outside', () => {
    const inside = reachTicket('inside').snapshot;
    expect(inside.can({ ...ENTRY_SCAN, gateId: 'g9', nonce: 'nonce-entry-2' })).toBe(false);
    expect(startTicket().snapshot.can(exit)).toBe(false);
  });

  it('an exit while inside goes back outside and a later entry is admitted again', () => {
    const out = stepTicket(reachTicket('inside').snapshot, exit).snapshot;
    expect(out.value).toBe('valid');
    expect(out.context.lastExit).toEqual({ at: exit.at, gateId: 'g2' });
    const again = stepTicket(out, { ...ENTRY_SCAN, nonce: 'nonce-entry-3', gateId: 'g3', at: exit.at + 1 }).snapshot;
    expect(again.value).toBe('inside');
    expect(again.context.lastEntry).toEqual({ at: exit.at + 1, gateId: 'g3' });
  });

  it('an inside ticket can be revoked; a revoked ticket accepts no scan', () => {
    const revoked = stepTicket(reachTicket('inside').snapshot, { type: 'ticket.revoke', reason: 'booking.refunded', at: 9 }).snapshot;
    expect(revoked.value).toBe('revoked');
    expect(revoked.can(ENTRY_SCAN)).toBe(false);
  });

  it('refuses a scan without a gate, a short nonce or an unknown direction at the schema', () => {
    expect(TicketEvent.safeParse({ ...ENTRY_SCAN, gateId: '' }).success).toBe(false);
    expect(TicketEvent.safeParse({ ...ENTRY_SCAN, nonce: 'short' }).success).toBe(false);
    expect(TicketEvent.safeParse({ ...ENTRY_SCAN, direction: 'in' }).success).toBe(false);
  });
});
