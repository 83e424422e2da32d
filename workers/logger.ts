/**
 * Structured one-line logs through pino, on stderr: JSON lines when LOG_FORMAT=json
 * (`{"level":"info","time":"…","node":"hub-1","msg":"…",…}`), otherwise `time level message {fields}`.
 * Passed as a dependency; nothing logs through a global.
 *
 * Redaction, in both formats: values of secret-looking keys (tokens, passwords, keys, peppers,
 * sign-in codes, plus any names a `main` adds, e.g. the config's secret variables) at the top level
 * and one level down become `[redacted]`; a `code` is kept when it is an error code
 * (`slot.sold_out`) and redacted when it is digits (a sign-in code). In the message and top-level
 * string values, URL passwords, bearer tokens and JWTs are masked.
 */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/** Keys whose values are never written. */
const SECRET_KEYS = [
  'token', 'accessToken', 'refreshToken', 'deviceToken', 'idToken', 'password', 'secret', 'secretKey', 'secret_token',
  'webhookSecret', 'apiKey', 'authorization', 'cookie', 'pepper', 'privateKey', 'd', 'otp', 'verificationCode', 'signInCode',
];

/** Creates a logger writing lines at or above `level` to `write` (stderr by default). */
export function createLogger(options: {
  level?: LogLevel;
  json?: boolean;
  base?: LogFields;
  write?: (line: string) => void;
  /** More keys to redact (e.g. the names of secret settings). */
  redact?: readonly string[];
} = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const json = options.json ?? false;
  const keys = [...new Set([...SECRET_KEYS, ...(options.redact ?? []), 'code'])];
  const paths = keys.flatMap((key) => [pathOf(key), `*.${pathOf(key)}`]);
  const root = pino(
    {
      level: options.level ?? 'info',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths, censor: (value, path) => (path.at(-1) === 'code' && !isDigits(value) ? value : REDACTED) },
    },
    // A plain object destination is written to synchronously: nothing is lost when a main exits right after logging.
    { write: (line: string) => write(json ? line.trimEnd() : toText(line)) },
  );
  return wrap(options.base === undefined ? root : root.child(scrubFields(options.base)));
}

/** A logger that drops everything (for benches that print their own report). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

function wrap(logger: pino.Logger): Logger {
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (!logger.isLevelEnabled(level)) return;
    if (fields === undefined) logger[level](scrubText(message));
    else logger[level](scrubFields(fields), scrubText(message));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(logger.child(scrubFields(fields))),
  };
}

/** Top-level string values masked; nested values are left to the key-based redaction. */
function scrubFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? scrubText(value) : value;
  return out;
}

/** Masks credentials that travel inside text: URL passwords, bearer tokens, JWTs. */
export function scrubText(text: string): string {
  return text
    .replace(/\/\/([^:@/\s]*):[^@/\s]+@/g, '//$1:***@')
    .replace(/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, REDACTED);
}

/** pino's redaction path for a key (bracketed when it is not a plain identifier). */
function pathOf(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
}

function isDigits(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4,10}$/.test(value);
}

/** One pino JSON line as `time level message {fields}`. */
function toText(line: string): string {
  const { time, level, msg, ...fields } = JSON.parse(line) as { time?: string; level?: string; msg?: string } & LogFields;
  const extra = Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
  return `${time ?? ''} ${(level ?? '').padEnd(5)} ${msg ?? ''}${extra}`;
}
