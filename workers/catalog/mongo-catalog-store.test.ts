/** The catalog store contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { describeCatalogStoreContract } from './catalog-store.contract.js';
import { connectMongoCatalogStore } from './mongo-catalog-store.js';

describeMongoContract('Catalog store', describeCatalogStoreContract, connectMongoCatalogStore);
