/** The payment records contract against MongoDB when MONGO_URL is set (skipped loudly otherwise). */
import { describeMongoContract } from '../testing/mongo-contract.js';
import { describePaymentRecordsContract } from './payment-records.contract.js';
import { connectMongoPaymentRecords } from './mongo-payment-records.js';

describeMongoContract('Payment records', describePaymentRecordsContract, connectMongoPaymentRecords);
