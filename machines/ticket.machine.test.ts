import { describe, expect, it } from 'vitest';
import { TicketEvent, TicketInput } from './ticket.schemas.js';
import { SLOT_END, SLOT_START, reachTicket, sampleTicketInput, startTicket, stepTicket } from './ticket.test-support.js';

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
