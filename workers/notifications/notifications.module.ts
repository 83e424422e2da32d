/**
 * The notifications module: every `notify` effect (booking confirmed, reminders, refunds) sent
 * once per channel the visitor chose, when channels are wired.
 */
import { BookingEffect } from '../../machines/booking.schemas.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import type { NotificationService } from './notification-service.js';
import { createNotificationService } from './notification-service.js';

export const notificationsRuntime: RuntimeModule<NotificationService | undefined> = {
  name: 'notifications',
  effects: effectPayloads(BookingEffect, 'notify'),
  start(ctx) {
    const wiring = ctx.wiring.notifications;
    const notifications =
      wiring &&
      createNotificationService({
        ...wiring,
        host: ctx.host,
        tickets: ctx.service(ticketsRuntime) ?? null,
        slots: ctx.wiring.tickets?.slots ?? null,
        clock: ctx.clock,
        log: ctx.log.child({ part: 'notifications' }),
      });
    return { service: notifications, ...(notifications === undefined ? {} : { effects: notifications.effectHandlers }) };
  },
};
