/**
 * The notifier's collections on MongoDB, on their own mongoose connection (no global handle):
 *
 *   notification_receipts { _id: "<channel>:<effectId>", status, attempts, claimedAt, … }
 *   mailbox               { _id: message id, channel, from, to, subject, text, html, attachments[], at }
 *   push_subscriptions    { _id: endpoint, userId, keys, createdAt }
 *
 * A claim is one conditional upsert: it matches only a released or stale claim, so for a receipt
 * that exists in any other status the upsert tries to insert the same `_id` and fails with a
 * duplicate key, which is read as `busy` or `done`. Each operation touches one document.
 */
import { Schema, createConnection, mongo } from 'mongoose';
import type {
  Mailbox,
  MailboxAttachment,
  MailboxMessage,
  NotificationStore,
  PushSubscriptions,
  Receipt,
  ReceiptKey,
  ReceiptStore,
  StoredPushSubscription,
} from './notification-store.js';

interface ReceiptDoc extends Receipt {
  _id: string;
  claimedAt: number;
}
interface MailboxDoc extends Omit<MailboxMessage, 'id'> {
  _id: string;
}
interface PushDoc extends Omit<StoredPushSubscription, 'endpoint'> {
  _id: string;
}

const receiptSchema = new Schema<ReceiptDoc>(
  {
    _id: String,
    effectId: String,
    channel: String,
    status: { type: String, enum: ['sending', 'released', 'sent', 'skipped', 'failed'] },
    attempts: Number,
    detail: { type: String, default: null },
    claimedAt: Number,
    updatedAt: Number,
  },
  { versionKey: false, collection: 'notification_receipts' },
);
receiptSchema.index({ effectId: 1 });

const attachmentSchema = new Schema<MailboxAttachment>(
  { filename: String, contentType: String, cid: { type: String, default: null }, contentBase64: String },
  { _id: false, versionKey: false },
);
const mailboxSchema = new Schema<MailboxDoc>(
  {
    _id: String,
    channel: { type: String, enum: ['email', 'sms'] },
    from: String,
    to: String,
    subject: { type: String, default: null },
    text: String,
    html: { type: String, default: null },
    attachments: { type: [attachmentSchema], default: [] },
    at: Number,
  },
  { versionKey: false, collection: 'mailbox' },
);
mailboxSchema.index({ at: -1 });
mailboxSchema.index({ to: 1, at: -1 });

const pushSchema = new Schema<PushDoc>(
  { _id: String, userId: String, keys: { p256dh: String, auth: String }, createdAt: Number },
  { versionKey: false, collection: 'push_subscriptions' },
);
pushSchema.index({ userId: 1, createdAt: 1 });

function isDuplicateKey(err: unknown): boolean {
  return err instanceof mongo.MongoServerError && err.code === 11000;
}

const receiptId = (key: ReceiptKey): string => `${key.channel}:${key.effectId}`;

/** Connects to MongoDB, ensures the indexes and returns the notification store over that database. */
export async function connectMongoNotificationStore(options: { url: string; dbName?: string }): Promise<NotificationStore> {
  const connection = createConnection(options.url, options.dbName === undefined ? {} : { dbName: options.dbName });
  await connection.asPromise();
  const receipts = connection.model<ReceiptDoc>('NotificationReceipt', receiptSchema);
  const mailbox = connection.model<MailboxDoc>('MailboxMessage', mailboxSchema);
  const pushes = connection.model<PushDoc>('PushSubscription', pushSchema);
  try {
    await Promise.all([receipts.init(), mailbox.init(), pushes.init()]);
  } catch (error) {
    await connection.close();
    throw error;
  }

  const receiptStore: ReceiptStore = {
    async claim(key, at, leaseMs) {
      try {
        await receipts.updateOne(
          { _id: receiptId(key), $or: [{ status: 'released' }, { status: 'sending', claimedAt: { $lte: at - leaseMs } }] },
          {
            $set: { effectId: key.effectId, channel: key.channel, status: 'sending', detail: null, claimedAt: at, updatedAt: at },
            $inc: { attempts: 1 },
          },
          { upsert: true },
        );
        return 'claimed';
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const doc = await receipts.findById(receiptId(key), { status: 1 }).lean<{ status: Receipt['status'] }>();
        return doc?.status === 'sending' ? 'busy' : 'done';
      }
    },
    async settle(key, status, detail, at) {
      await receipts.updateOne({ _id: receiptId(key), status: 'sending' }, { $set: { status, detail, updatedAt: at } });
    },
    async release(key) {
      await receipts.updateOne({ _id: receiptId(key), status: 'sending' }, { $set: { status: 'released' } });
    },
    async ofEffect(effectId) {
      const docs = await receipts.find({ effectId }).sort({ channel: 1 }).lean<ReceiptDoc[]>();
      return docs.map(({ effectId: e, channel, status, attempts, detail, updatedAt }) => ({ effectId: e, channel, status, attempts, detail, updatedAt }));
    },
  };

  const mailboxStore: Mailbox = {
    async deliver(m) {
      const { id, ...rest } = m;
      const result = await mailbox.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
      return result.upsertedCount === 1;
    },
    async list({ limit, to, channel }) {
      const filter = { ...(to === undefined ? {} : { to }), ...(channel === undefined ? {} : { channel }) };
      const docs = await mailbox.find(filter).sort({ at: -1, _id: -1 }).limit(limit).lean<MailboxDoc[]>();
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
  };

  const pushStore: PushSubscriptions = {
    async save(userId, s, at) {
      await pushes.updateOne({ _id: s.endpoint }, { $set: { userId, keys: { p256dh: s.keys.p256dh, auth: s.keys.auth }, createdAt: at } }, { upsert: true });
    },
    async remove(endpoint, userId) {
      const result = await pushes.deleteOne(userId === undefined ? { _id: endpoint } : { _id: endpoint, userId });
      return result.deletedCount === 1;
    },
    async list(userId) {
      const docs = await pushes.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean<PushDoc[]>();
      return docs.map((d) => ({ endpoint: d._id, keys: { p256dh: d.keys.p256dh, auth: d.keys.auth }, userId: d.userId, createdAt: d.createdAt }));
    },
  };

  return {
    name: 'mongo',
    receipts: receiptStore,
    mailbox: mailboxStore,
    pushSubscriptions: pushStore,
    async close() {
      await connection.close();
    },
  };
}
