/** The accounts store contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { describeAccountStoreContract } from './account-store.contract.js';
import { connectMongoAccountStore } from './mongo-account-store.js';

describeMongoContract('Accounts store', describeAccountStoreContract, connectMongoAccountStore);
