/**
 * The notifier's tables on the embedded SQLite file (the same file as the actors, on its own
 * connection), versioned as the `notifications` component (see sqlite-component-schema.ts). A claim is one UPSERT whose conflict branch only fires for a released or
 * stale claim, so two senders never both get `claimed` for a fresh key.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyComponentSchema } from '../sqlite-component-schema.js';
import type {
  ClaimResult,
  Mailbox,
  MailboxAttachment,
  MailboxMessage,
  NotificationStore,
  PushSubscriptions,
  Receipt,
  ReceiptStore,
  StoredPushSubscription,
} from './notification-store.js';

/** Bumped on every incompatible change of the tables below. */
export const NOTIFICATION_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS notification_receipts (
  effect_id  TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('sending', 'released', 'sent', 'skipped', 'failed')),
  attempts   INTEGER NOT NULL,
  detail     TEXT,
  claimed_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (effect_id, channel)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mailbox (
  seq         INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
  sender      TEXT    NOT NULL,
  recipient   TEXT    NOT NULL,
  subject     TEXT,
  text        TEXT    NOT NULL,
  html        TEXT,
  attachments TEXT    NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mailbox_at ON mailbox (at);
CREATE INDEX IF NOT EXISTS mailbox_recipient_at ON mailbox (recipient, at);
CREATE TABLE IF NOT EXISTS push_subscriptions (
  endpoint   TEXT    PRIMARY KEY,
  user_id    TEXT    NOT NULL,
  p256dh     TEXT    NOT NULL,
  auth       TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS push_subscriptions_user ON push_subscriptions (user_id, created_at);
`;

interface ReceiptRow {
  effect_id: string;
  channel: Receipt['channel'];
  status: Receipt['status'];
  attempts: number;
  detail: string | null;
  updated_at: number;
}

interface MailboxRow {
  id: string;
  channel: MailboxMessage['channel'];
  sender: string;
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  attachments: string;
  at: number;
}

interface PushRow {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
  created_at: number;
}

/** Opens the notifier's tables in the SQLite file (creating the file and tables if missing). */
export function openSqliteNotificationStore(options: { file: string; busyTimeoutMs?: number }): NotificationStore {
  mkdirSync(dirname(options.file), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const db = new Database(options.file, { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    applyComponentSchema(db, 'notifications', NOTIFICATION_SCHEMA_VERSION, SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    name: 'sqlite',
    receipts: sqliteReceipts(db),
    mailbox: sqliteMailbox(db),
    pushSubscriptions: sqlitePushSubscriptions(db),
    async close() {
      if (db.open) db.close();
    },
  };
}

function sqliteReceipts(db: Database.Database): ReceiptStore {
  const claim = db.prepare<[{ effectId: string; channel: string; at: number; staleBefore: number }]>(
    `INSERT INTO notification_receipts (effect_id, channel, status, attempts, detail, claimed_at, updated_at)
     VALUES (@effectId, @channel, 'sending', 1, NULL, @at, @at)
     ON CONFLICT (effect_id, channel) DO UPDATE SET status = 'sending', attempts = attempts + 1, detail = NULL,
       claimed_at = excluded.claimed_at, updated_at = excluded.updated_at
     WHERE status = 'released' OR (status = 'sending' AND claimed_at <= @staleBefore)`,
  );
  const statusOf = db.prepare<[string, string], { status: Receipt['status'] }>(
    'SELECT status FROM notification_receipts WHERE effect_id = ? AND channel = ?',
  );
  const settle = db.prepare<[string, string | null, number, string, string]>(
    "UPDATE notification_receipts SET status = ?, detail = ?, updated_at = ? WHERE effect_id = ? AND channel = ? AND status = 'sending'",
  );
  const release = db.prepare<[string, string]>(
    "UPDATE notification_receipts SET status = 'released' WHERE effect_id = ? AND channel = ? AND status = 'sending'",
  );
  const ofEffect = db.prepare<[string], ReceiptRow>(
    'SELECT effect_id, channel, status, attempts, detail, updated_at FROM notification_receipts WHERE effect_id = ? ORDER BY channel',
  );
  const claimTx = db.transaction((effectId: string, channel: string, at: number, leaseMs: number): ClaimResult => {
    if (claim.run({ effectId, channel, at, staleBefore: at - leaseMs }).changes === 1) return 'claimed';
    return statusOf.get(effectId, channel)?.status === 'sending' ? 'busy' : 'done';
  });
  return {
    async claim(key, at, leaseMs) {
      return claimTx.immediate(key.effectId, key.channel, at, leaseMs);
    },
    async settle(key, status, detail, at) {
      settle.run(status, detail, at, key.effectId, key.channel);
    },
    async release(key) {
      release.run(key.effectId, key.channel);
    },
    async ofEffect(effectId) {
      return ofEffect.all(effectId).map((r) => ({
        effectId: r.effect_id,
        channel: r.channel,
        status: r.status,
        attempts: r.attempts,
        detail: r.detail,
        updatedAt: r.updated_at,
      }));
    },
  };
}

function sqliteMailbox(db: Database.Database): Mailbox {
  const insert = db.prepare<[string, string, string, string, string | null, string, string | null, string, number]>(
    `INSERT INTO mailbox (id, channel, sender, recipient, subject, text, html, attachments, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const columns = 'id, channel, sender, recipient, subject, text, html, attachments, at';
  const newest = db.prepare<[{ to: string | null; channel: string | null; limit: number }], MailboxRow>(
    `SELECT ${columns} FROM mailbox WHERE (@to IS NULL OR recipient = @to) AND (@channel IS NULL OR channel = @channel)
     ORDER BY at DESC, seq DESC LIMIT @limit`,
  );
  const toMessage = (r: MailboxRow): MailboxMessage => ({
    id: r.id,
    channel: r.channel,
    from: r.sender,
    to: r.recipient,
    subject: r.subject,
    text: r.text,
    html: r.html,
    attachments: JSON.parse(r.attachments) as MailboxAttachment[],
    at: r.at,
  });
  return {
    async deliver(m) {
      const info = insert.run(m.id, m.channel, m.from, m.to, m.subject, m.text, m.html, JSON.stringify(m.attachments), m.at);
      return info.changes === 1;
    },
    async list({ limit, to, channel }) {
      return newest.all({ to: to ?? null, channel: channel ?? null, limit }).map(toMessage);
    },
  };
}

function sqlitePushSubscriptions(db: Database.Database): PushSubscriptions {
  const upsert = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
       created_at = excluded.created_at`,
  );
  const remove = db.prepare<[string]>('DELETE FROM push_subscriptions WHERE endpoint = ?');
  const removeOwn = db.prepare<[string, string]>('DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?');
  const list = db.prepare<[string], PushRow>(
    'SELECT endpoint, user_id, p256dh, auth, created_at FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, endpoint',
  );
  return {
    async save(userId, s, at) {
      upsert.run(s.endpoint, userId, s.keys.p256dh, s.keys.auth, at);
    },
    async remove(endpoint, userId) {
      return (userId === undefined ? remove.run(endpoint) : removeOwn.run(endpoint, userId)).changes === 1;
    },
    async list(userId): Promise<StoredPushSubscription[]> {
      return list.all(userId).map((r) => ({
        endpoint: r.endpoint,
        keys: { p256dh: r.p256dh, auth: r.auth },
        userId: r.user_id,
        createdAt: r.created_at,
      }));
    },
  };
}
