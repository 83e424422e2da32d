/** Notifications: email, SMS, Web Push and in-app messages for bookings, sent once per channel. */
import type { NotificationService } from '../../../workers/notifications/notification-service.js';
import { notificationsRuntime } from '../../../workers/notifications/notifications.module.js';
import type { VenueModule } from '../venue-module.js';

export const notificationsModule: VenueModule<NotificationService | undefined> = { ...notificationsRuntime };
