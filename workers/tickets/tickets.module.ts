/**
 * The tickets module: the ticket actor, issuing and revoking tickets for bookings (when ticket
 * keys are wired), the tickets read model (who is inside a zone or a slot) and the `zone` feed.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { ticketDefinition } from '../../machines/ticket.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { ticketsProjection } from '../projections/venue-projections.js';
import type { TicketService } from './ticket-service.js';
import { createTicketService } from './ticket-service.js';
import { zoneFeed } from './zone-feed.js';

/** Without ticket wiring the service is absent and tickets.* effects wait in the outbox. */
export const ticketsRuntime: RuntimeModule<TicketService | undefined> = {
  name: 'tickets',
  machines: [ticketDefinition],
  effects: effectPayloads(BookingEffect, 'tickets.issue', 'tickets.revoke'),
  projections: () => [ticketsProjection],
  feeds: [zoneFeed],
  start(ctx) {
    const wiring = ctx.wiring.tickets;
    const tickets = wiring && createTicketService({ ...wiring, host: ctx.host, clock: ctx.clock, log: ctx.log.child({ part: 'tickets' }) });
    return { service: tickets, ...(tickets === undefined ? {} : { effects: tickets.effectHandlers }) };
  },
};
