/** The read models contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { connectMongoActorStore } from '../store/mongo-actor-store.js';
import { connectMongoReadModels } from './mongo-read-models.js';
import { describeReadModelContract } from './read-models.contract.js';

describeMongoContract('Read models', describeReadModelContract, async (options) => ({
  store: await connectMongoActorStore(options),
  models: await connectMongoReadModels(options),
}));
