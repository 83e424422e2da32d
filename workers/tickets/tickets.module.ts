/**
 * The tickets module: the ticket actor, issuing and revoking tickets for bookings (when ticket
 * keys are wired), the tickets read model (who is inside a zone or a slot) and the `zone` feed.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import { ticketDefinition } from '../../machines/ticket.machine.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { ticketsProjection } from '../projections/venue-projections.js';
import type { SlotWindows } from './slot-windows.js';
import type { TicketService, TicketWiring } from './ticket-service.js';
import { createTicketService } from './ticket-service.js';
import { zoneFeed } from './zone-feed.js';

/** What the tickets module offers: the ticket service, and the slots' windows its tickets are valid in. */
export interface TicketsModuleService extends TicketService {
  readonly slots: SlotWindows;
}

/** Without ticket wiring the service is absent and tickets.* effects wait in the outbox. */
export const ticketsRuntime: RuntimeModule<TicketsModuleService | undefined, TicketWiring> = {
  name: 'tickets',
  machines: [ticketDefinition],
  effects: effectPayloads(BookingEffect, 'tickets.issue', 'tickets.revoke'),
  projections: () => [ticketsProjection],
  feeds: [zoneFeed],
  start(ctx) {
    const { wiring } = ctx;
    if (wiring === undefined) return { service: undefined };
    const tickets = createTicketService({ ...wiring, host: ctx.host, clock: ctx.clock, log: ctx.log.child({ part: 'tickets' }) });
    return { service: { ...tickets, slots: wiring.slots }, effects: tickets.effectHandlers };
  },
};
