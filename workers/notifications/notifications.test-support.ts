/**
 * Test support for notifications, all real: a contact directory over a map (the accounts
 * service's port), an SMTP server (`smtp-server`) that parses what it receives, and an HTTPS
 * push service on 127.0.0.1 with a throw-away certificate that decrypts what it receives
 * (RFC 8291, aes128gcm) with the subscription's own keys.
 */
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Channel, Contact, ContactDirectory, PushSubscriptionRecord } from '../accounts/contact-directory.js';

/** A contact directory over a map, with a helper to add people. */
export function createMapContactDirectory(): ContactDirectory & { set(contact: Contact): void } {
  const contacts = new Map<string, Contact>();
  return {
    async contact(userId) {
      return contacts.get(userId) ?? null;
    },
    set(contact) {
      contacts.set(contact.userId, contact);
    },
  };
}

/** A contact with every channel on, overridable. */
export function contactOf(userId: string, overrides: Partial<Omit<Contact, 'preferences'>> & { preferences?: Partial<Record<Channel, boolean>> } = {}): Contact {
  const { preferences, ...rest } = overrides;
  return {
    userId,
    name: 'Sara Al-Harbi',
    email: `${userId}@example.test`,
    phone: '+966500000001',
    language: 'en',
    pushSubscriptions: [],
    ...rest,
    preferences: { email: true, sms: true, push: true, in_app: true, ...preferences },
  };
}

/** Resolves when `find` returns something for an item already seen or arriving later. */
class Arrivals<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();
  push(item: T): void {
    this.items.push(item);
    for (const wake of [...this.waiters]) wake();
  }
  waitFor(match: (item: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const found = this.items.find(match);
        if (found === undefined) return false;
        this.waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = () => void check();
      if (!check()) this.waiters.add(wake);
    });
  }
}

/** A running SMTP server that keeps every message it accepted, parsed. */
export interface SmtpCapture {
  readonly url: string;
  readonly messages: ParsedMail[];
  waitFor(match: (mail: ParsedMail) => boolean): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 (port 0 unless given); recipients for which `reject` is true get a 550. */
export async function startSmtpCapture(options: { reject?: (address: string) => boolean; port?: number } = {}): Promise<SmtpCapture> {
  const arrivals = new Arrivals<ParsedMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.reject?.(address.address)) callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream, { keepCidLinks: true }).then(
        (mail) => {
          arrivals.push(mail);
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages: arrivals.items,
    waitFor: (match) => arrivals.waitFor(match),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One request the push service received, decrypted. */
export interface PushDelivery {
  name: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  payload: string | null;
}

/** A push subscription as a browser would hold it, with its private key to decrypt. */
export interface TestSubscription {
  name: string;
  subscription: PushSubscriptionRecord;
  decrypt(body: Buffer): string;
}

/** A running HTTPS push service. */
export interface PushServiceStub {
  /** An https.Agent that trusts the service's certificate. */
  readonly agent: Agent;
  /** The service's certificate (PEM), for a process that trusts it through NODE_EXTRA_CA_CERTS. */
  readonly certPem: string;
  readonly deliveries: PushDelivery[];
  subscribe(name: string): TestSubscription;
  /** The status the service answers for the subscription (default 201). */
  answer(name: string, status: number): void;
  waitFor(match: (d: PushDelivery) => boolean): Promise<PushDelivery>;
  close(): Promise<void>;
}

/** Starts an HTTPS push service on 127.0.0.1:0 with a certificate made by openssl for the run. */
export async function startPushService(): Promise<PushServiceStub> {
  const dir = mkdtempSync(join(tmpdir(), 'vh-push-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'));
  rmSync(dir, { recursive: true, force: true });

  const arrivals = new Arrivals<PushDelivery>();
  const statuses = new Map<string, number>();
  const subscriptions = new Map<string, TestSubscription>();
  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
      const status = statuses.get(name) ?? 201;
      const body = Buffer.concat(chunks);
      const sub = subscriptions.get(name);
      res.writeHead(status).end();
      arrivals.push({ name, status, headers: req.headers, payload: sub && body.length > 0 ? sub.decrypt(body) : null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: cert, keepAlive: false });

  return {
    agent,
    certPem: cert.toString('utf8'),
    deliveries: arrivals.items,
    subscribe(name) {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const sub: TestSubscription = {
        name,
        subscription: {
          endpoint: `https://127.0.0.1:${port}/push/${encodeURIComponent(name)}`,
          keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
        },
        decrypt: (body) => decryptAes128gcm(body, ecdh.getPrivateKey(), publicKey, auth),
      };
      subscriptions.set(name, sub);
      return sub;
    },
    answer: (name, status) => void statuses.set(name, status),
    waitFor: (match) => arrivals.waitFor(match),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Decrypts a single-record aes128gcm Web Push body (RFC 8188 framing, RFC 8291 keys). */
function decryptAes128gcm(body: Buffer, uaPrivate: Buffer, uaPublic: Buffer, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(uaPrivate);
  const shared = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 followed by zero padding.
  const end = padded.lastIndexOf(2);
  return padded.subarray(0, end).toString('utf8');
}
