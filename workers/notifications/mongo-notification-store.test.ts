/** The notification store contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { describeNotificationStoreContract } from './notification-store.contract.js';
import { connectMongoNotificationStore } from './mongo-notification-store.js';

describeMongoContract('Notification store', describeNotificationStoreContract, connectMongoNotificationStore);
