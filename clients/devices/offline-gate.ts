/**
 * A gate that keeps admitting while the hub is unreachable: it holds the offline bundle, verifies
 * QR tokens itself against the bundle's keys, keeps every ticket's entry state locally, answers a
 * verdict at once and queues each passage for upload.
 *
 *   online:  gate:offline_bundle ─▶ createOfflineGate(bundle)
 *   offline: scan(token | band, direction) ─▶ verify (EdDSA, kid in the bundle, typ, iss, aud, window at the scan time)
 *              ─▶ local state: valid ─entry─▶ inside ─exit─▶ valid (re-entry) | used (single entry)
 *              ─▶ verdict now; admitted / exited passages queued {token | band, nonce, at, direction, verdictShown}
 *   online:  sync(client) ─▶ gate:sync in batches that fit the hub's per-event size ─▶ drop what was settled
 *
 * A ticket missing from the bundle (bought after the download, or its booking cancelled) is refused:
 * offline, the bundle is the only list of who may come in. Scans the hub refused for good (revoked,
 * unknown) are dropped from the queue too; only those refused for a passing reason stay queued.
 *
 * It runs in browsers (the gate page) as well as in Node: Web Crypto, TextEncoder and jose only.
 */
import { errors, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JWTVerifyGetKey } from 'jose';
import type {
  AddOnToCollect,
  GateSynced,
  OfflineBundle,
  OfflineScan,
  OfflineScanResult,
  OfflineTicket,
  OfflineTicketState,
  ScanVerdict,
} from '../../machines/contract/wire.js';
import { GateSync, MAX_OFFLINE_SCANS_PER_SYNC, OfflineBundle as OfflineBundleSchema, RETRYABLE_SYNC_CODES, TICKET_TOKEN_FORMAT } from '../../machines/contract/wire.js';
import { ERROR_CODES } from '../../machines/errors.js';
import type { ErrorCode, Refusal } from '../../machines/errors.js';
import type { ClientRefusal, HubClient } from '../sdk/index.js';

/** What uploading needs of the SDK's client (`connectHub`). */
type GateSocket = Pick<HubClient, 'syncOfflineScans'>;

/** The verdict an offline gate shows. */
export type OfflineVerdict =
  | {
      verdict: 'admitted';
      ticketId: string;
      bookingId: string;
      ticketTypeId: string;
      holderName?: string;
      /** The visitor's display name from the bundle, as the online verdict shows it. */
      visitorName?: string;
      reentry: boolean;
      /** From the bundle (absent in bundles made before the hub sent them). */
      partySize?: number;
      addOns?: AddOnToCollect[];
    }
  | { verdict: 'exited'; ticketId: string; bookingId: string }
  | { verdict: 'already_used'; ticketId: string }
  | { verdict: 'refused'; code: ErrorCode; message: string };

/** One scan presented to the offline gate: a QR token or a band tap. */
export type OfflinePresentation = { token: string; band?: never } | { band: string; token?: never };

/** Options of one scan: reuse a nonce to repeat a scan (same verdict); `at` defaults to now. */
export interface OfflineScanOptions {
  nonce?: string;
  at?: number;
}

/** What one `sync` did. */
export interface SyncReport {
  /** Every result the hub answered, in upload order. */
  results: OfflineScanResult[];
  recorded: number;
  doubleEntries: number;
  /** Scans still queued (refused for a passing reason, or not sent). */
  kept: number;
  /** Why the upload stopped early, when it did (e.g. `message.too_large`, `hub.draining`, no answer). */
  stopped?: Refusal | ClientRefusal;
}

/** What an offline gate needs besides its bundle. */
export interface OfflineGateOptions {
  clock?: () => number;
  /** Allowed skew between this gate's clock and the one that signed the ticket (seconds); default 30. */
  clockToleranceSeconds?: number;
  /** Scans queued before a restart, to upload with the next sync. */
  queue?: readonly OfflineScan[];
}

/** A gate working from an offline bundle. */
export interface OfflineGate {
  readonly bundle: OfflineBundle;
  /** Judges a scan locally, updates the ticket's local state and queues the passage. */
  scan(presented: OfflinePresentation, direction: 'entry' | 'exit', options?: OfflineScanOptions): Promise<OfflineVerdict>;
  /** The local entry state of a ticket, or undefined when it is not in the bundle. */
  stateOf(ticketId: string): OfflineTicketState | undefined;
  /** The scans waiting for upload, oldest first. */
  pending(): OfflineScan[];
  /**
   * Moves a ticket's local entry state after a verdict the hub gave online, so that a gate going
   * offline right after knows who is inside already (the bundle was made earlier).
   */
  learn(verdict: ScanVerdict): void;
  /** What to keep across a restart: the bundle with the local entry states, and the queue. */
  snapshot(): { bundle: OfflineBundle; queue: OfflineScan[] };
  /**
   * Uploads the queue with `gate:sync` (through the SDK's client, or an `upload` function, e.g.
   * `hub.call('gate:sync', …)`) and drops every scan the hub settled.
   */
  sync(via: GateSocket | GateUpload, options?: { maxBatchBytes?: number; timeoutMs?: number }): Promise<SyncReport>;
}

/** Sends one `gate:sync` upload and answers its ack (a refusal's code may be the SDK's `client.*`). */
export type GateUpload = (sync: GateSync, timeoutMs: number) => Promise<{ ok: true; data: GateSynced } | { ok: false; code: string; message: string }>;

/** Fits the hub's default per-event limit (MAX_EVENT_BYTES 4 096) with room for the envelope. */
export const DEFAULT_SYNC_BATCH_BYTES = 3_584;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(RETRYABLE_SYNC_CODES);

/** A fresh scan nonce (22 characters of base64url). */
export function offlineNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const utf8 = new TextEncoder();
/** The length of `text` in UTF-8 bytes. */
const byteLength = (text: string): number => utf8.encode(text).length;

const refused = (code: ErrorCode, message: string): OfflineVerdict => ({ verdict: 'refused', code, message });

/** Parses a bundle the hub sent and builds the gate over it; throws when the bundle is malformed. */
export function createOfflineGate(bundle: unknown, options: OfflineGateOptions = {}): OfflineGate {
  const parsed = OfflineBundleSchema.parse(bundle);
  const clock = options.clock ?? Date.now;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const tickets = new Map<string, OfflineTicket>(parsed.tickets.map((t) => [t.ticketId, { ...t }]));
  for (const ticketId of parsed.revoked) {
    const known = tickets.get(ticketId);
    if (known) known.state = 'revoked';
  }
  const byBand = new Map<string, string>(parsed.tickets.flatMap((t) => (t.band === undefined ? [] : [[t.band, t.ticketId] as [string, string]])));
  const keys = new Map<string, Promise<CryptoKey>>();
  let queue: OfflineScan[] = [...(options.queue ?? [])];
  /** Verdicts by nonce, so a repeated scan answers as the first did. */
  const answered = new Map<string, OfflineVerdict>();

  const keyFor = (kid: string): Promise<CryptoKey> | undefined => {
    const jwk = parsed.keys.keys.find((k) => k.kid === kid);
    if (jwk === undefined) return undefined;
    let key = keys.get(kid);
    if (key === undefined) {
      key = importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, TICKET_TOKEN_FORMAT.alg) as Promise<CryptoKey>;
      keys.set(kid, key);
    }
    return key;
  };

  /** The ticket a QR token names, verified at the scan's time; or the refusal. */
  async function verify(token: string, at: number): Promise<OfflineTicket | OfflineVerdict> {
    if (token.length > 2048) return refused('ticket.invalid', 'the ticket token is too long');
    const getKey: JWTVerifyGetKey<CryptoKey> = async (header) => {
      const key = header.kid === undefined ? undefined : keyFor(header.kid);
      if (key === undefined) throw new errors.JWKSNoMatchingKey();
      return key;
    };
    let claims: { jti?: unknown; b?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(token, getKey, {
        algorithms: [TICKET_TOKEN_FORMAT.alg],
        issuer: parsed.issuer,
        audience: TICKET_TOKEN_FORMAT.audience,
        typ: TICKET_TOKEN_FORMAT.typ,
        requiredClaims: ['jti', 'nbf', 'exp'],
        currentDate: new Date(at),
        clockTolerance: tolerance,
      }));
    } catch (error) {
      return refused('ticket.invalid', reasonOf(error));
    }
    const ticket = typeof claims.jti === 'string' ? tickets.get(claims.jti) : undefined;
    if (ticket === undefined) return refused('ticket.invalid', "the ticket is not on this gate's list for today");
    if (ticket.bookingId !== claims.b) return refused('ticket.invalid', 'the ticket does not match its token');
    return ticket;
  }

  /** The local rules: the same moves as the ticket actor, judged on what this gate knows. */
  function judge(ticket: OfflineTicket, direction: 'entry' | 'exit'): OfflineVerdict {
    const { ticketId, bookingId } = ticket;
    if (parsed.zone !== undefined && ticket.zone !== undefined && ticket.zone !== parsed.zone) {
      return refused('ticket.wrong_zone', `this ticket is for zone ${ticket.zone}; this gate is in zone ${parsed.zone}`);
    }
    if (ticket.state === 'revoked') return refused('ticket.revoked', `ticket ${ticketId} was revoked`);
    if (direction === 'entry') {
      if (ticket.state === 'inside') return { verdict: 'already_used', ticketId };
      if (ticket.state === 'used') return refused('ticket.used', `ticket ${ticketId} is single entry and was used`);
      ticket.state = 'inside';
      const { ticketTypeId, holderName, visitorName, reentry, partySize, addOns } = ticket;
      return {
        verdict: 'admitted',
        ticketId,
        bookingId,
        ticketTypeId,
        ...(holderName === undefined ? {} : { holderName }),
        ...(visitorName === undefined ? {} : { visitorName }),
        reentry,
        ...(partySize === undefined ? {} : { partySize }),
        ...(addOns === undefined ? {} : { addOns }),
      };
    }
    if (ticket.state !== 'inside') return refused('ticket.not_inside', `ticket ${ticketId} has not been scanned in`);
    ticket.state = ticket.reentry ? 'valid' : 'used';
    return { verdict: 'exited', ticketId, bookingId };
  }

  return {
    bundle: parsed,
    stateOf: (ticketId) => tickets.get(ticketId)?.state,
    pending: () => [...queue],
    learn(verdict) {
      const ticket = 'ticketId' in verdict ? tickets.get(verdict.ticketId) : undefined;
      if (ticket === undefined) return;
      if (verdict.verdict === 'admitted' || verdict.verdict === 'already_used') ticket.state = 'inside';
      else if (verdict.verdict === 'exited') ticket.state = ticket.reentry ? 'valid' : 'used';
    },
    snapshot: () => ({ bundle: { ...parsed, tickets: [...tickets.values()].map((t) => ({ ...t })) }, queue: [...queue] }),

    async scan(presented, direction, scanOptions = {}) {
      const nonce = scanOptions.nonce ?? offlineNonce();
      const earlier = answered.get(nonce);
      if (earlier !== undefined) return earlier;
      const at = scanOptions.at ?? clock();
      let verdict: OfflineVerdict;
      if (at > parsed.validUntil) verdict = refused('ticket.invalid', "this gate's offline list is out of date; reconnect to the hub");
      else if (presented.band !== undefined) {
        const ticketId = byBand.get(presented.band);
        const ticket = ticketId === undefined ? undefined : tickets.get(ticketId);
        verdict = ticket === undefined ? refused('band.unknown', "the band is not on this gate's list for today") : judge(ticket, direction);
      } else {
        const found = await verify(presented.token, at);
        verdict = 'verdict' in found ? found : judge(found, direction);
      }
      answered.set(nonce, verdict);
      if (verdict.verdict === 'admitted' || verdict.verdict === 'exited') {
        const via = presented.band !== undefined ? { band: presented.band } : { token: presented.token };
        queue.push({ ...via, nonce, direction, at, verdictShown: verdict.verdict });
      }
      return verdict;
    },

    async sync(via, syncOptions = {}) {
      const maxBytes = syncOptions.maxBatchBytes ?? DEFAULT_SYNC_BATCH_BYTES;
      const timeoutMs = syncOptions.timeoutMs ?? 10_000;
      const report: SyncReport = { results: [], recorded: 0, doubleEntries: 0, kept: 0 };
      const settled = new Set<string>();
      for (const batch of batches(queue, maxBytes)) {
        let answer: Awaited<ReturnType<typeof emitSync>>;
        try {
          answer = await emitSync(via, batch, timeoutMs);
        } catch (error) {
          report.stopped = { ok: false, code: 'internal', message: `no answer from the hub: ${(error as Error).message}` };
          break;
        }
        if (!answer.ok) {
          // An answer that never came from the hub (the SDK's client.* codes) stops the upload like a lost connection.
          report.stopped = isErrorCode(answer.code) ? { ok: false, code: answer.code, message: answer.message } : { ok: false, code: 'internal', message: `no answer from the hub: ${answer.code} ${answer.message}` };
          break;
        }
        for (const result of answer.data.results) {
          report.results.push(result);
          if (result.recorded) {
            report.recorded++;
            if (result.doubleEntry) report.doubleEntries++;
          }
          if (result.recorded || !RETRYABLE.has(result.code)) settled.add(result.nonce);
        }
      }
      queue = queue.filter((scan) => !settled.has(scan.nonce));
      report.kept = queue.length;
      return report;
    },
  };
}

function emitSync(via: GateSocket | GateUpload, scans: OfflineScan[], timeoutMs: number): ReturnType<GateUpload> {
  const upload = GateSync.parse({ scans });
  return typeof via === 'function' ? via(upload, timeoutMs) : via.syncOfflineScans(upload.scans, { timeoutMs });
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
const isErrorCode = (code: string): code is ErrorCode => KNOWN_CODES.has(code);

/** Splits the queue into uploads of at most `maxBytes` of JSON and MAX_OFFLINE_SCANS_PER_SYNC scans (a single larger scan goes alone). */
export function batches(scans: readonly OfflineScan[], maxBytes: number): OfflineScan[][] {
  const out: OfflineScan[][] = [];
  let current: OfflineScan[] = [];
  let bytes = 0;
  const envelope = byteLength('["gate:sync",{"scans":[]}]');
  for (const scan of scans) {
    const size = byteLength(JSON.stringify(scan)) + 1;
    if (current.length > 0 && (envelope + bytes + size > maxBytes || current.length >= MAX_OFFLINE_SCANS_PER_SYNC)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(scan);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Says why a token was refused; the code stays `ticket.invalid` whatever the reason. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the ticket is past its slot';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'the ticket is not valid yet';
    return `the ticket's "${error.claim}" claim is not acceptable`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `the ticket must be signed with ${TICKET_TOKEN_FORMAT.alg}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'the ticket was not signed by a ticket key this gate knows';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the ticket signature does not verify';
  return 'the ticket token is malformed';
}
