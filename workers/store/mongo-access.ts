/**
 * Audit trail and revocation list on MongoDB: `audit_log` (append-only, indexed by time and
 * actor) and `revocations` (one document per subject).
 */
import { Schema, type Connection } from 'mongoose';
import type { AuditEntry, AuditLog, RevocationList } from './actor-store.js';

interface RevocationDoc {
  _id: string;
  before: number;
  reason: string;
  by: string;
  at: number;
}

const auditSchema = new Schema<AuditEntry>(
  {
    at: Number,
    who: String,
    role: String,
    action: String,
    target: { type: String, default: null },
    outcome: { type: String, enum: ['allowed', 'denied', 'failed'] },
    code: { type: String, default: null },
    detail: { type: Schema.Types.Mixed, default: null },
  },
  { minimize: false, versionKey: false, collection: 'audit_log' },
);
auditSchema.index({ at: -1 });
auditSchema.index({ who: 1, at: -1 });

const revocationSchema = new Schema<RevocationDoc>(
  { _id: String, before: Number, reason: String, by: String, at: Number },
  { versionKey: false, collection: 'revocations' },
);

/** Registers the audit and revocation models on `connection` and returns both ports. */
export async function defineMongoAccess(connection: Connection): Promise<{ audit: AuditLog; revocations: RevocationList }> {
  const audit = connection.model<AuditEntry>('AuditEntry', auditSchema);
  const revocations = connection.model<RevocationDoc>('Revocation', revocationSchema);
  await Promise.all([audit.init(), revocations.init()]);
  return {
    audit: {
      async append(entry) {
        await audit.create(entry);
      },
      async list({ limit, since = 0, who }) {
        const filter = who === undefined ? { at: { $gte: since } } : { who, at: { $gte: since } };
        const docs = await audit.find(filter, { _id: 0 }).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditEntry[]>();
        return docs;
      },
    },
    revocations: {
      async revoke(subject, before, reason, by, at) {
        // $max keeps the cut-off monotonic: a late, older revocation never un-revokes.
        await revocations.updateOne({ _id: subject }, { $max: { before }, $set: { reason, by, at } }, { upsert: true });
      },
      async revokedBefore(subject) {
        const doc = await revocations.findById(subject, { before: 1 }).lean<{ before: number }>();
        return doc?.before ?? null;
      },
    },
  };
}
