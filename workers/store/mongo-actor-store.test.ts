/** The actor store contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { describeActorStoreContract } from './actor-store.contract.js';
import { connectMongoActorStore } from './mongo-actor-store.js';

describeMongoContract('Actor store', describeActorStoreContract, connectMongoActorStore);
