/**
 * Refusals the SDK produces itself, kept apart from the server's closed list
 * (`machines/errors.ts`) so that a caller can always tell "the hub said no" from "the
 * answer never came". Every SDK call that talks to the hub answers `HubResult<T>`:
 *
 *   {ok: true, data}                     the hub accepted
 *   {ok: false, code: ErrorCode, …}      the hub refused (server codes)
 *   {ok: false, code: ClientErrorCode, …} no usable answer (client codes below)
 *
 * | code                 | meaning                                                                  | safe to retry? |
 * | -------------------- | ------------------------------------------------------------------------ | -------------- |
 * | `client.timeout`     | no answer within the call's timeout; the command may or may not have run | with the same `commandId` |
 * | `client.disconnected`| the socket dropped after sending, before the answer                      | with the same `commandId` |
 * | `client.closed`      | the client was closed (by the caller or because the session ended)       | no             |
 * | `client.unreachable` | no hub URL accepted a connection within `connectTimeoutMs`               | later          |
 * | `client.bad_answer`  | the hub answered something that is not a `Result`                        | no (report it) |
 */
import { ERROR_CODES } from '../../machines/errors.js';
import type { ErrorCode, Result } from '../../machines/errors.js';

/** The SDK's own refusal codes (never sent by the hub). */
export const CLIENT_ERROR_CODES = ['client.timeout', 'client.disconnected', 'client.closed', 'client.unreachable', 'client.bad_answer'] as const;

/** One of the SDK's own refusal codes. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Any code a caller of the SDK can see: the hub's closed list plus the SDK's own. */
export type HubErrorCode = ErrorCode | ClientErrorCode;

/** A refusal produced by the SDK because no usable answer arrived. */
export interface ClientRefusal {
  ok: false;
  code: ClientErrorCode;
  message: string;
}

/** What every SDK request answers: the hub's `Result` or a client-side refusal. */
export type HubResult<T> = Result<T> | ClientRefusal;

const serverCodes: ReadonlySet<string> = new Set(ERROR_CODES);
const clientCodes: ReadonlySet<string> = new Set(CLIENT_ERROR_CODES);

/** True for a code from the hub's closed list. */
export function isServerErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && serverCodes.has(code);
}

/** True for one of the SDK's own codes. */
export function isClientErrorCode(code: unknown): code is ClientErrorCode {
  return typeof code === 'string' && clientCodes.has(code);
}

/** Builds a client-side refusal. */
export function clientRefusal(code: ClientErrorCode, message: string): ClientRefusal {
  return { ok: false, code, message };
}

/**
 * A coded failure of the connection as a whole: `ready` rejects with it (handshake refused,
 * unreachable, closed before connecting). `code` is a server code, a client code, or, for a
 * `session:ended` whose code this SDK version does not know, that code as sent.
 */
export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode | (string & Record<never, never>),
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** Checks that an ack has the `Result` shape; the payload of `data` is trusted as typed. */
export function asResult<T>(answer: unknown): HubResult<T> {
  if (typeof answer === 'object' && answer !== null && 'ok' in answer) {
    if (answer.ok === true && 'data' in answer) return answer as Result<T>;
    if (answer.ok === false && 'code' in answer && isServerErrorCode(answer.code)) {
      const message = 'message' in answer && typeof answer.message === 'string' ? answer.message : answer.code;
      return { ok: false, code: answer.code, message };
    }
  }
  return clientRefusal('client.bad_answer', `the hub answered with something that is not a Result: ${preview(answer)}`);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
