/**
 * "Your order is ready": the seed's Order Ready push, with the pickup point, on the visitor's
 * push, in-app and (when they chose SMS) SMS channels. The food order emits `food.notify_ready`
 * once per order (a recall and a second ready tell nobody again); each channel is sent once per
 * effect id (`sendOnce`), so a redelivered effect sends nothing twice.
 *
 *   food.notify_ready {orderId, visitorId, bookingId?, pickupPoint}
 *     ─▶ contact ─▶ channels push, in_app, sms ∩ preferences ─▶ sendOnce(effectId, channel)
 */
import type { Language } from '../../machines/contract/accounts.js';
import type { NotificationAlert } from '../../machines/contract/notification-alert.js';
import type { Logger } from '../logger.js';
import type { EffectRow } from '../store/actor-store.js';
import { messageIdOf } from './message-id.js';
import type { MessageChannels } from './notifications.module.js';
import type { NotifyChannel } from './notification-store.js';
import { DEFAULT_SEND_LEASE_MS, sendOnce } from './send-once.js';
import type { ChannelResult, SendOutcome } from './send-once.js';

/** The template name in-app alerts carry. */
export const FOOD_READY_TEMPLATE = 'food.ready';

/** What the order-ready message says. */
export interface FoodReady {
  orderId: string;
  visitorId: string;
  bookingId?: string | undefined;
  pickupPoint: string;
  /** The pickup point named in Arabic, when the venue gives it. */
  pickupPointAr?: string | undefined;
}

const CHANNELS: readonly NotifyChannel[] = ['push', 'in_app', 'sms'];

/** The copy of the message, per channel, in the person's language. */
export function renderFoodReady(ready: FoodReady, name: string, language: Language = 'en'): { title: string; body: string; sms: string } {
  const first = name.split(' ')[0] ?? name;
  if (language === 'ar') {
    return {
      title: 'طلبك جاهز',
      body: `${first}، طلبك من الطعام جاهز: استلمه من ${ready.pickupPointAr ?? ready.pickupPoint}.`,
      sms: `Venue Hub: طلبك من الطعام جاهز. استلمه من ${ready.pickupPointAr ?? ready.pickupPoint}.`,
    };
  }
  const title = 'Your food is ready';
  const body = `${first}, your order is ready: collect it at the ${ready.pickupPoint}.`;
  return { title, body, sms: `Venue Hub: your food order is ready. Collect it at the ${ready.pickupPoint}.` };
}

/** Sends one order-ready effect; returns how each channel went. */
export function createFoodReadyNotifier(deps: MessageChannels & { clock: () => number; log: Logger }) {
  const leaseMs = deps.leaseMs ?? DEFAULT_SEND_LEASE_MS;
  return async function notifyReady(effect: EffectRow, ready: FoodReady): Promise<Partial<Record<NotifyChannel, ChannelResult>>> {
    const contact = await deps.contacts.contact(ready.visitorId);
    if (!contact) {
      deps.log.warn('no contact for the person; order-ready message skipped', { effectId: effect.effectId, orderId: ready.orderId });
      return {};
    }
    const copy = renderFoodReady(ready, contact.name, contact.language);
    // A pre-order's message opens its booking; an order during the visit, its own page.
    const url = ready.bookingId === undefined ? deps.links.foodOrder?.(ready.orderId) : deps.links.booking(ready.bookingId);
    const send = async (channel: NotifyChannel): Promise<SendOutcome> => {
      switch (channel) {
        case 'push':
          if (!deps.push) return { status: 'skipped', detail: 'web push is not configured' };
          return deps.push.sendToUser(contact.userId, { title: copy.title, body: copy.body, tag: `food-${ready.orderId}`, lang: contact.language, ...(url === undefined ? {} : { url }) }, effect.effectId);
        case 'in_app': {
          const alert: NotificationAlert = {
            id: effect.effectId,
            template: FOOD_READY_TEMPLATE,
            title: copy.title,
            body: copy.body,
            ...(ready.bookingId === undefined ? {} : { bookingId: ready.bookingId }),
            ...(url === undefined ? {} : { url }),
            at: deps.clock(),
          };
          await deps.inApp(contact.userId, alert);
          return { status: 'sent', detail: null };
        }
        case 'sms': {
          if (!contact.phone) return { status: 'skipped', detail: 'no phone number' };
          const id = await deps.sms.send({ id: messageIdOf(effect.effectId, 'sms'), to: contact.phone, text: copy.sms });
          return { status: 'sent', detail: id };
        }
        case 'email':
          return { status: 'skipped', detail: 'order-ready is not sent by email' };
      }
    };
    const report: Partial<Record<NotifyChannel, ChannelResult>> = {};
    const failures: unknown[] = [];
    for (const channel of CHANNELS.filter((c) => contact.preferences[c])) {
      try {
        report[channel] = await sendOnce(deps.store, { effectId: effect.effectId, channel }, { clock: deps.clock, leaseMs }, () => send(channel));
      } catch (error) {
        failures.push(error);
        deps.log.warn('order-ready channel failed; will retry', { effectId: effect.effectId, channel, error: String(error) });
      }
    }
    if (failures.length > 0) throw failures[0];
    return report;
  };
}
