/**
 * The lockers module: the locker actor, its pools in the ledger, opening doors (`locker.unlock`
 * is published as `locker:unlock` to the locker banks of the locker's zone), the lockers read model
 * and the `lockers` feed.
 */
import { LockerEffect } from '../../machines/locker.schemas.js';
import { lockerDefinition } from '../../machines/locker.machine.js';
import type { LockerUnlock } from '../../machines/contract/wire.js';
import { lockerZoneRoom } from '../fanout/change-rooms.js';
import { toRooms } from '../fanout/outbound.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { lockersProjection } from '../projections/venue-projections.js';
import type { LockerService } from './locker-service.js';
import { createLockerService } from './locker-service.js';
import { lockersFeed } from './lockers-feed.js';

const UNLOCK = effectPayloads(LockerEffect, 'locker.unlock');

export const lockersRuntime: RuntimeModule<LockerService> = {
  name: 'lockers',
  machines: [lockerDefinition],
  effects: UNLOCK,
  projections: () => [lockersProjection],
  feeds: [lockersFeed],
  start(ctx) {
    const log = ctx.log.child({ part: 'floor' });
    const unlocks = new Set<(zone: string, unlock: LockerUnlock) => void>();
    return {
      service: createLockerService({ host: ctx.host, ledger: ctx.ledger, clock: ctx.clock }),
      effects: {
        'locker.unlock': async (effect) => {
          const { lockerId, bandUid, at } = LockerEffect.parse({ type: effect.type, ...effect.payload });
          const locker = await ctx.host.read(lockerDefinition, lockerId);
          const zone = locker.ok ? locker.data.context.zone : undefined;
          log.info('locker opened', { lockerId, bandUid });
          if (zone === undefined) return;
          for (const listener of unlocks) listener(zone, { lockerId, bandUid, at });
        },
      },
      publishes: (publisher) => {
        const listener = (zone: string, unlock: LockerUnlock) => publisher.publish(toRooms(lockerZoneRoom(zone), 'locker:unlock', unlock));
        unlocks.add(listener);
        return () => void unlocks.delete(listener);
      },
    };
  },
};
