/**
 * Notifications: email, SMS, Web Push and in-app messages for bookings, sent once per channel;
 * support's resend of a booking's tickets email.
 */
import type { NotificationWiring } from '../../../workers/notifications/notification-service.js';
import type { NotificationsModuleService } from '../../../workers/notifications/notifications.module.js';
import { notificationsRuntime } from '../../../workers/notifications/notifications.module.js';
import { supportRoutes } from '../../api/support-routes.js';
import { policyRows } from '../../policy/policy-table.js';
import { serviceOf } from '../venue-module.js';
import type { VenueModule } from '../venue-module.js';
import { notificationsNode } from './node.js';

export const notificationsModule: VenueModule<NotificationsModuleService | undefined, NotificationWiring> = {
  ...notificationsRuntime,
  node: notificationsNode,
  policy: policyRows('booking.resend_tickets'),
  http({ node, runtime, trail }) {
    const notifications = serviceOf(runtime, notificationsRuntime);
    if (node === undefined || notifications === undefined) return [];
    return supportRoutes({ auth: { tokens: node.tokens, revocations: runtime.access.revocations }, trail, notifications });
  },
};
