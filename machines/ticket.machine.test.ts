import { describe, expect, it } from 'vitest';
import { TicketEvent, TicketInput } from './ticket.schemas.js';
import { ENTRY_SCAN, EXIT_SCAN, SLOT_END, SLOT_START, reachTicket, sampleTicketInput, startTicket, stepTicket } from './ticket.test-support.js';
import type { TicketStep } from './ticket.test-support.js';

const emitted = (step: TicketStep) => step.actions.filter((a) => a.type === 'xstate.emit').map((a) => (a.params as { event: { type: string } }).event);

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
  const exit = EXIT_SCAN;

  it('an entry while outside goes inside, records when and where, and reports the entry with its stay', () => {
    const step = stepTicket(startTicket(sampleTicketInput({ zone: 'waterpark' })).snapshot, ENTRY_SCAN);
    expect(step.snapshot.value).toBe('inside');
    expect(step.snapshot.context.lastEntry).toEqual({ at: ENTRY_SCAN.at, gateId: 'g1', nonce: ENTRY_SCAN.nonce });
    expect(emitted(step)).toEqual([
      { type: 'ticket.entered', ticketId: 'bk_1-t1', bookingId: 'bk_1', slotId: 'slot_1', zone: 'waterpark', at: ENTRY_SCAN.at, gateId: 'g1', holdId: 'in:bk_1-t1:nonce-entry-1' },
    ]);
  });

  it('an exit reports the stay it ends, so occupancy gives back what the entry took', () => {
    const step = stepTicket(reachTicket('inside').snapshot, exit);
    expect(emitted(step)).toEqual([
      { type: 'ticket.exited', ticketId: 'bk_1-t1', bookingId: 'bk_1', slotId: 'slot_1', at: exit.at, gateId: 'g2', holdId: 'in:bk_1-t1:nonce-entry-1', used: false },
    ]);
  });

  it('a single-entry ticket is used after its exit and admits no more', () => {
    const used = reachTicket('used');
    expect(used.snapshot.value).toBe('used');
    expect(used.snapshot.status).toBe('active');
    expect(emitted(used)).toMatchObject([{ type: 'ticket.exited', used: true }]);
    expect(used.snapshot.can({ ...ENTRY_SCAN, nonce: 'nonce-entry-9' })).toBe(false);
    expect(stepTicket(used.snapshot, { type: 'ticket.revoke', reason: 'booking.refunded', at: 1 }).snapshot.value).toBe('revoked');
  });

  it('refuses a second entry while inside, and an exit while outside', () => {
    const inside = reachTicket('inside').snapshot;
    expect(inside.can({ ...ENTRY_SCAN, gateId: 'g9', nonce: 'nonce-entry-2' })).toBe(false);
    expect(startTicket().snapshot.can(exit)).toBe(false);
  });

  it('an exit while inside goes back outside and a later entry is admitted again', () => {
    const out = stepTicket(reachTicket('inside').snapshot, exit).snapshot;
    expect(out.value).toBe('valid');
    expect(out.context.lastExit).toEqual({ at: exit.at, gateId: 'g2', nonce: exit.nonce });
    const again = stepTicket(out, { ...ENTRY_SCAN, nonce: 'nonce-entry-3', gateId: 'g3', at: exit.at + 1 }).snapshot;
    expect(again.value).toBe('inside');
    expect(again.context.lastEntry).toEqual({ at: exit.at + 1, gateId: 'g3', nonce: 'nonce-entry-3' });
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

describe('ticket: scans uploaded by an offline gate', () => {
  const offline = (scan: typeof ENTRY_SCAN, overrides: Partial<typeof ENTRY_SCAN> = {}) => ({ ...scan, ...overrides, type: 'ticket.offline_scan' as const });

  it('an offline entry of an outside ticket counts as an entry', () => {
    const step = stepTicket(startTicket().snapshot, offline(ENTRY_SCAN));
    expect(step.snapshot.value).toBe('inside');
    expect(emitted(step)).toMatchObject([{ type: 'ticket.entered', holdId: 'in:bk_1-t1:nonce-entry-1' }]);
  });

  it('an offline entry while inside happened: it is recorded as a double entry and reported, the state stays', () => {
    const step = stepTicket(reachTicket('inside').snapshot, offline(ENTRY_SCAN, { gateId: 'g7', nonce: 'nonce-offline-1', at: ENTRY_SCAN.at + 5 }));
    expect(step.snapshot.value).toBe('inside');
    expect(step.snapshot.context.doubleEntries).toEqual([{ at: ENTRY_SCAN.at + 5, gateId: 'g7', nonce: 'nonce-offline-1' }]);
    expect(emitted(step)).toEqual([
      {
        type: 'ticket.double_entry',
        ticketId: 'bk_1-t1',
        bookingId: 'bk_1',
        slotId: 'slot_1',
        at: ENTRY_SCAN.at + 5,
        gateId: 'g7',
        state: 'inside',
        previous: { at: ENTRY_SCAN.at, gateId: 'g1', nonce: ENTRY_SCAN.nonce },
      },
    ]);
  });

  it('an offline entry with a used single-entry ticket is a double entry too', () => {
    const step = stepTicket(reachTicket('used').snapshot, offline(ENTRY_SCAN, { nonce: 'nonce-offline-2' }));
    expect(step.snapshot.value).toBe('used');
    expect(emitted(step)).toMatchObject([{ type: 'ticket.double_entry', state: 'used' }]);
  });

  it('keeps the newest double entries only', () => {
    let snapshot = reachTicket('inside').snapshot;
    for (let i = 0; i < 25; i++) snapshot = stepTicket(snapshot, offline(ENTRY_SCAN, { nonce: `nonce-offline-${String(i).padStart(2, '0')}`, at: i })).snapshot;
    expect(snapshot.context.doubleEntries).toHaveLength(20);
    expect(snapshot.context.doubleEntries?.at(-1)).toMatchObject({ nonce: 'nonce-offline-24' });
  });

  it('an offline exit of an outside ticket is accepted and changes nothing; an offline exit while inside is an exit', () => {
    const outside = startTicket().snapshot;
    const step = stepTicket(outside, offline(EXIT_SCAN));
    expect(step.snapshot.value).toBe('valid');
    expect(step.snapshot.context).toEqual(outside.context);
    expect(stepTicket(reachTicket('inside').snapshot, offline(EXIT_SCAN)).snapshot.value).toBe('valid');
  });

  it('a revoked ticket accepts no offline scan (the sync reports it)', () => {
    expect(reachTicket('revoked').snapshot.can(offline(ENTRY_SCAN))).toBe(false);
  });
});

describe('ticket: wristband', () => {
  it('records the linked band, and its removal', () => {
    const linked = stepTicket(startTicket().snapshot, { type: 'ticket.band', bandUid: 'BAND-1', at: 1 }).snapshot;
    expect(linked.context.bandUid).toBe('BAND-1');
    expect(stepTicket(linked, { type: 'ticket.band', at: 2 }).snapshot.context.bandUid).toBeUndefined();
  });
});
