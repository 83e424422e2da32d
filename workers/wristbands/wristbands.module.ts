/**
 * The wristbands module: the wristband actor (RFID bands linked to tickets, activated at check-in,
 * deactivated when the visit closes), and bands following their tickets when a change of the
 * booking reissues them (`bands.follow`, after the booking's tickets.revoke and tickets.issue).
 */
import { BandsFollow, BookingEffect } from '../../machines/booking.schemas.js';
import type { TicketContext } from '../../machines/ticket.schemas.js';
import { wristbandDefinition } from '../../machines/wristband.machine.js';
import type { Logger } from '../logger.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import type { EffectHandler } from '../outbox/outbox-relay.js';
import type { ActorHost } from '../actors/actor-host.js';
import { ticketIdOf } from '../tickets/ticket-service.js';
import type { WristbandService } from './wristband-service.js';
import { createWristbandService } from './wristband-service.js';

const WHO = 'system:bands';

/** Refusals that are the answer (the band moved on, or the new ticket has one): logged, not retried. */
const SETTLED = new Set(['band.unknown', 'band.inactive', 'band.in_use', 'band.ticket_has_band', 'ticket.revoked', 'actor.not_found']);

/**
 * `bands.follow`: each old ticket's band moves to the new ticket of the same place in the party;
 * a band whose place the new party lacks is deactivated (reason replaced). Failures of the store
 * throw, so the relay retries; every step is idempotent.
 */
function followHandler(deps: { host: ActorHost; bands: WristbandService; log: Logger }): EffectHandler {
  return async (effect) => {
    const { bookingId, from, to } = BandsFollow.parse({ type: effect.type, ...effect.payload });
    const places = to.last - to.first + 1;
    for (let i = 0; from.first + i <= from.last; i++) {
      const oldTicketId = ticketIdOf(bookingId, from.first + i);
      const old = await deps.host.read('ticket', oldTicketId);
      if (!old.ok) {
        if (old.code === 'actor.not_found') continue;
        throw new Error(`ticket ${oldTicketId}: ${old.code} ${old.message}`);
      }
      const uid = (old.data.context as TicketContext).bandUid;
      if (uid === undefined) continue;
      const done = i < places ? await deps.bands.follow(uid, oldTicketId, ticketIdOf(bookingId, to.first + i), WHO) : await deps.bands.deactivate(uid, 'replaced', WHO);
      if (done.ok) continue;
      if (!SETTLED.has(done.code)) throw new Error(`band ${uid} of ticket ${oldTicketId}: ${done.code} ${done.message}`);
      deps.log.info('band did not follow its reissued ticket', { uid, ticketId: oldTicketId, code: done.code, message: done.message });
    }
  };
}

export const wristbandsRuntime: RuntimeModule<WristbandService> = {
  name: 'wristbands',
  machines: [wristbandDefinition],
  effects: effectPayloads(BookingEffect, 'bands.follow'),
  start: (ctx) => {
    const bands = createWristbandService({ host: ctx.host, ledger: ctx.ledger, clock: ctx.clock });
    return { service: bands, effects: { 'bands.follow': followHandler({ host: ctx.host, bands, log: ctx.log.child({ part: 'wristbands' }) }) } };
  },
};
