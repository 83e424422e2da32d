/**
 * Verified visitors made the way a person makes one: sign up over HTTP, read the code from the
 * email that reaches the test's SMTP inbox, verify it. Visitors are spread over loopback source
 * addresses (`perAddress` each), so the hub's per-address limit on `/api/auth/*` (bursts of 30)
 * is never the bottleneck: each visitor costs two auth requests.
 *
 *   register ──▶ hub ──SMTP──▶ inbox.waitFor(email) ──code──▶ verify ──▶ {accessToken, userId}
 */
import { createHubApi, unwrap } from '../../clients/sdk/hub-api.js';
import type { HubApi, SignedIn } from '../../clients/sdk/hub-api.js';
import { loopbackAddress, loopbackFetch } from './loopback-fetch.js';
import type { SmtpInbox } from './smtp-inbox.js';
import { otpCodeOf } from './smtp-inbox.js';

/** A verified visitor. */
export interface Visitor {
  email: string;
  userId: string;
  accessToken: string;
  /** The HTTP client bound to this visitor's source address. */
  api: HubApi;
}

/** Options of `signUpVisitors`. */
export interface SignUpOptions {
  url: string;
  inbox: SmtpInbox;
  count: number;
  /** Makes the addresses unique per run, e.g. `race-1718000000`. */
  prefix: string;
  /** Sign-ups in flight at once (default 32). */
  concurrency?: number;
  /** Visitors per source address (default 10: 20 auth requests, under the burst of 30). */
  perAddress?: number;
  /** First loopback address index to use (default 0); give separate ranges to separate groups. */
  firstAddress?: number;
  /** Called after each verified visitor. */
  onProgress?: (done: number) => void;
}

/** Signs up and verifies one visitor through `api`, reading the code from `inbox`. */
export async function signUpVisitor(api: HubApi, inbox: SmtpInbox, email: string, name = 'Test Visitor'): Promise<SignedIn> {
  const { verificationId } = unwrap(await api.register({ name, email }));
  const mail = await inbox.waitFor(email, (m) => /verification code/i.test(m.subject));
  return unwrap(await api.verify({ verificationId, code: otpCodeOf(mail) }));
}

/** Signs up `count` visitors; resolves when all are verified, in index order. */
export async function signUpVisitors(options: SignUpOptions): Promise<Visitor[]> {
  const perAddress = options.perAddress ?? 10;
  const first = options.firstAddress ?? 0;
  const apis = new Map<number, HubApi>();
  const apiFor = (i: number): HubApi => {
    const slot = first + Math.floor(i / perAddress);
    let api = apis.get(slot);
    if (!api) {
      api = createHubApi({ url: options.url, fetch: loopbackFetch(loopbackAddress(slot)) });
      apis.set(slot, api);
    }
    return api;
  };
  const visitors: Visitor[] = new Array<Visitor>(options.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.count) {
      const i = next++;
      const api = apiFor(i);
      const email = `${options.prefix}-${i}@example.com`;
      const signedIn = await signUpVisitor(api, options.inbox, email, `Visitor ${i}`);
      visitors[i] = { email, userId: signedIn.account.userId, accessToken: signedIn.accessToken, api };
      options.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, options.count) }, worker));
  return visitors;
}
