/**
 * The notifications module: every `notify` effect (booking confirmed, reminders, refunds) sent
 * once per channel the visitor chose, when channels are wired. In-app alerts are published as
 * `notification:alert` to every socket of the person; the channels are lent to the modules after
 * this one for their own messages (the food module's order ready).
 */
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import { BookingEffect } from '../../machines/booking.schemas.js';
import { userRoom } from '../fanout/change-rooms.js';
import { toRooms } from '../fanout/outbound.js';
import type { RuntimeModule } from '../modules/runtime-module.js';
import { effectPayloads } from '../modules/runtime-module.js';
import { ticketsRuntime } from '../tickets/tickets.module.js';
import type { NotificationService, NotificationWiring } from './notification-service.js';
import { createNotificationService } from './notification-service.js';

/** The channels other modules send their own messages on (each sent once per effect and channel by `sendOnce`). */
export interface MessageChannels extends Pick<NotificationWiring, 'store' | 'contacts' | 'sms' | 'push' | 'links' | 'leaseMs'> {
  /** Publishes an in-app alert to every socket of the person. */
  inApp(userId: string, alert: NotificationAlert): void | Promise<void>;
}

/** What the notifications module offers: the notification service and its channels. */
export interface NotificationsModuleService extends NotificationService {
  readonly channels: MessageChannels;
}

/** Without channels (unwired) notify effects wait in the outbox. */
export const notificationsRuntime: RuntimeModule<NotificationsModuleService | undefined, NotificationWiring> = {
  name: 'notifications',
  effects: effectPayloads(BookingEffect, 'notify'),
  start(ctx) {
    const { wiring } = ctx;
    if (wiring === undefined) return { service: undefined };
    const tickets = ctx.service(ticketsRuntime);
    const listeners = new Set<(userId: string, alert: NotificationAlert) => void>();
    const inApp = (userId: string, alert: NotificationAlert) => {
      for (const listener of listeners) listener(userId, alert);
      return wiring.inApp?.(userId, alert);
    };
    const notifications = createNotificationService({
      ...wiring,
      inApp,
      host: ctx.host,
      tickets: tickets ?? null,
      slots: tickets?.slots ?? null,
      clock: ctx.clock,
      log: ctx.log.child({ part: 'notifications' }),
    });
    const { store, contacts, sms, push, links, leaseMs } = wiring;
    return {
      service: { ...notifications, channels: { store, contacts, sms, push, links, ...(leaseMs === undefined ? {} : { leaseMs }), inApp } },
      effects: notifications.effectHandlers,
      publishes: (publisher) => {
        const listener = (userId: string, alert: NotificationAlert) => publisher.publish(toRooms(userRoom(userId), 'notification:alert', alert));
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    };
  },
};
