/**
 * Start-up configuration: one zod schema over the environment for the node's core, and each
 * module's own section (its node part's `settings`), parsed together once by a `main`.
 *
 * Every variable has a default that makes `npm start` work with an empty environment;
 * every refusal names the variable, the value it got and a value that would work.
 * Nothing here reads `process.env`; the caller passes the environment in.
 */
import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { z } from 'zod';
import { Ed25519JwkList } from './auth/keys.js';
import { proxyEntryProblem } from './http/client-address.js';
import { isLoopbackHost } from './http/loopback.js';
import { flag, integer, isSecret, oneOf, secret, text } from './env-fields.js';
import { productionProblems } from './production-mode.js';
import type { ProcessRole } from './production-mode.js';

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const MONGO_EXAMPLE = 'mongodb://localhost:27017/venue-hub';
const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Normalises `scheme://host[:port]` (a trailing slash is tolerated) to a browser Origin, or null. */
function toOrigin(item: string): string | null {
  let url: URL;
  try {
    url = new URL(item);
  } catch {
    return null;
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  return bare && web && /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/?$/i.test(item) ? url.origin : null;
}

const originList = z
  .string()
  .transform((raw, ctx) => {
    const items = [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
    if (items.includes('*')) {
      if (items.length === 1) return ['*'];
      ctx.addIssue({ code: 'custom', message: "'*' allows every origin and cannot be mixed with a list; use ALLOWED_ORIGINS=* alone or list origins only" });
      return z.NEVER;
    }
    const origins: string[] = [];
    for (const item of items) {
      const origin = toOrigin(item);
      if (origin === null) {
        ctx.addIssue({
          code: 'custom',
          message: `"${item}" is not an origin; list scheme://host[:port] without a path, comma-separated, e.g. ALLOWED_ORIGINS=https://venue.example.com,http://localhost:5173`,
        });
        return z.NEVER;
      }
      origins.push(origin);
    }
    return [...new Set(origins)];
  })
  .default(() => []);

/** A JSON list of Ed25519 JWKs, the signing (private) key first. */
function signingKeys(name: string) {
  return z.string().transform((raw, ctx) => {
    const example = `e.g. ${name}='[{"kty":"OKP","crv":"Ed25519","kid":"2025-01","x":"…","d":"…"}]'`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a JSON array of Ed25519 private JWKs, each with a kid, ${example}` });
      return z.NEVER;
    }
    const parsed = Ed25519JwkList.safeParse(json);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.length > 0 ? `[${i.path.join('.')}] ` : ''}${i.message}`).join('; ');
      ctx.addIssue({ code: 'custom', message: `${why}; give a JSON array of Ed25519 JWKs, the active private key first, ${example}` });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/**
 * The environment variables of the node's core, with defaults and coercion. A module's own
 * variables are in its node part's `settings` (hub/modules/<name>/node.ts), parsed with these.
 */
export const ConfigSchema = z
  .object({
    PORT: integer('PORT', 0, 65535, 8080),
    /** The worker's health and metrics port (a hub node serves them on PORT). */
    WORKER_PORT: integer('WORKER_PORT', 0, 65535, 8081),
    HOST: text('HOST', '0.0.0.0'),
    DATA_DIR: text('DATA_DIR', './data'),
    STORE: oneOf('STORE', ['sqlite', 'mongo'], 'sqlite'),
    MONGO_URL: z
      .string()
      .trim()
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, { error: `must start with mongodb:// or mongodb+srv://, e.g. MONGO_URL=${MONGO_EXAMPLE}` })
      .optional(),
    REDIS_URL: z
      .string()
      .trim()
      .refine((v) => /^rediss?:\/\/\S+$/.test(v) && URL.canParse(v), {
        error: 'must be a redis:// or rediss:// URL, e.g. REDIS_URL=redis://localhost:6379',
      })
      .optional(),
    SOCKET_ENGINE: oneOf('SOCKET_ENGINE', ['uws', 'ws'], 'uws'),
    // `worker`: this hub node answers commands only; the outbox relay (effects, notifications), timer
    // jobs and sweepers run in the worker process (`npm run worker`), off the nodes that serve gates.
    BACKGROUND_WORK: oneOf('BACKGROUND_WORK', ['here', 'worker'], 'here'),
    ALLOWED_ORIGINS: originList,
    /** Proxies whose X-Forwarded-For names the client (addresses, CIDR ranges, `loopback`, `private`). */
    TRUSTED_PROXIES: z
      .string()
      .transform((raw, ctx) => {
        const entries = [...new Set(raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0))];
        for (const entry of entries) {
          const problem = proxyEntryProblem(entry);
          if (problem !== null) {
            ctx.addIssue({ code: 'custom', message: `${problem}, e.g. TRUSTED_PROXIES=10.0.0.0/8 or TRUSTED_PROXIES=private` });
            return z.NEVER;
          }
        }
        return entries;
      })
      .default(() => []),
    NODE_ID: z.string().trim().regex(NODE_ID_PATTERN, {
      error: 'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit, e.g. NODE_ID=hub-1',
    }),
    LOG_LEVEL: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    /** `json`: one JSON object per line (pino), for log collectors; `text`: for people. */
    LOG_FORMAT: oneOf('LOG_FORMAT', ['text', 'json'], 'text'),
    TOKEN_ISSUER: text('TOKEN_ISSUER', 'venue-hub'),
    ACCESS_TOKEN_TTL_SECONDS: integer('ACCESS_TOKEN_TTL_SECONDS', 60, 86_400, 900),
    DEVICE_TOKEN_TTL_SECONDS: integer('DEVICE_TOKEN_TTL_SECONDS', 3_600, 31_536_000, 2_592_000),
    JWT_PRIVATE_KEYS: secret(signingKeys('JWT_PRIVATE_KEYS').optional()),
    TIMER_POLL_MS: integer('TIMER_POLL_MS', 50, 60_000, 1000),
    // Socket edge limits. socket.io's own default is 1 MB per message; a venue's messages are tiny.
    MAX_MESSAGE_BYTES: integer('MAX_MESSAGE_BYTES', 1_024, 1_000_000, 16_384),
    MAX_EVENT_BYTES: integer('MAX_EVENT_BYTES', 256, 1_000_000, 4_096),
    RATE_LIMIT_PER_SECOND: integer('RATE_LIMIT_PER_SECOND', 1, 10_000, 50),
    RATE_LIMIT_BURST: integer('RATE_LIMIT_BURST', 1, 100_000, 100),
    DRAIN_BATCH_SIZE: integer('DRAIN_BATCH_SIZE', 1, 100_000, 500),
    DRAIN_TIMEOUT_MS: integer('DRAIN_TIMEOUT_MS', 0, 600_000, 10_000),
    // Visitors (their accounts' own settings: hub/modules/accounts/node.ts).
    PUBLIC_URL: z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), { error: 'must be the http(s) URL visitors reach the hub at, e.g. PUBLIC_URL=https://tickets.venue.example' })
      .optional(),
    ACCOUNT_PEPPER: secret(
      z
        .string()
        .trim()
        .refine((v) => Buffer.from(v, 'base64').byteLength >= 32, { error: 'must be at least 32 random bytes in base64, e.g. ACCOUNT_PEPPER=$(openssl rand -base64 32)' })
        .optional(),
    ),
    ADMIN_EMAIL: z.email({ error: 'must be an email address, e.g. ADMIN_EMAIL=ops@venue.example' }).optional(),
    // The venue (every module's dates and times are local to it).
    VENUE_TIME_ZONE: z
      .string()
      .trim()
      .refine((v) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: v });
          return true;
        } catch {
          return false;
        }
      }, { error: 'must be an IANA time zone, e.g. VENUE_TIME_ZONE=Asia/Riyadh' })
      .default('Asia/Riyadh'),
    // Notifications and tickets.
    SMTP_URL: z
      .string()
      .trim()
      .refine((v) => /^smtps?:\/\/\S+$/.test(v) && URL.canParse(v), { error: 'must be an smtp:// or smtps:// URL, e.g. SMTP_URL=smtps://user:pass@smtp.example.com:465' })
      .optional(),
    MAIL_FROM: text('MAIL_FROM', 'Venue Hub <no-reply@venue-hub.local>'),
    SMS_SENDER: text('SMS_SENDER', 'VenueHub'),
    /**
     * Serve the local mailbox page (every code and ticket "sent" while no SMTP_URL is set) at
     * /mailbox, to loopback peers only. Development only: it would let anyone sign in as anyone.
     */
    DEV_MAILBOX: flag('DEV_MAILBOX', false),
    NODE_ENV: z.string().trim().optional(),
    /**
     * `production` (the default when NODE_ENV=production) refuses demo data, generated keys, the
     * local mailbox and the simulated gateway unless each is allowed below (hub/production-mode.ts).
     */
    HUB_MODE: oneOf('HUB_MODE', ['development', 'production'], 'development'),
    ALLOW_DEMO_DATA: flag('ALLOW_DEMO_DATA', false),
    ALLOW_GENERATED_KEYS: flag('ALLOW_GENERATED_KEYS', false),
    ALLOW_LOCAL_MAILBOX: flag('ALLOW_LOCAL_MAILBOX', false),
    ALLOW_SIMULATED_PAYMENTS: flag('ALLOW_SIMULATED_PAYMENTS', false),
    VAPID_PUBLIC_KEY: z.string().trim().min(1).optional(),
    VAPID_PRIVATE_KEY: secret(z.string().trim().min(1).optional()),
    VAPID_SUBJECT: z
      .string()
      .trim()
      .regex(/^(mailto:|https:\/\/)\S+$/, { error: 'must be a mailto: or https: contact, e.g. VAPID_SUBJECT=mailto:ops@venue.example' })
      .default('mailto:ops@venue-hub.local'),
    /**
     * Hosts a Web Push subscription may name besides the browsers' own push services (a push
     * service of your own, or a recorder on this machine in tests): the hub POSTs to them.
     */
    PUSH_SERVICE_HOSTS: z
      .string()
      .transform((raw, ctx) => {
        const hosts = [...new Set(raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0))];
        const bad = hosts.find((host) => !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host) && isIP(host) === 0);
        if (bad !== undefined) {
          ctx.addIssue({ code: 'custom', message: `"${bad}" is not a host name; list host names without scheme or port, comma-separated, e.g. PUSH_SERVICE_HOSTS=push.venue.example` });
          return z.NEVER;
        }
        return hosts;
      })
      .default(() => []),
    TICKET_PRIVATE_KEYS: secret(signingKeys('TICKET_PRIVATE_KEYS').optional()),
    // Payments.
    PAYMENT_PROVIDER: oneOf('PAYMENT_PROVIDER', ['simulated', 'moyasar'], 'simulated'),
    PAYMENT_WEBHOOK_SECRET: secret(z.string().trim().min(16, { error: 'must be at least 16 characters, e.g. PAYMENT_WEBHOOK_SECRET=$(openssl rand -hex 24)' }).optional()),
    PAYMENT_WEBHOOK_TOLERANCE_S: integer('PAYMENT_WEBHOOK_TOLERANCE_S', 30, 3_600, 300),
    PAYMENT_RECONCILE_AFTER_S: integer('PAYMENT_RECONCILE_AFTER_S', 10, 86_400, 600),
    PAYMENT_RECONCILE_EVERY_S: integer('PAYMENT_RECONCILE_EVERY_S', 5, 3_600, 60),
    SIMPAY_DUPLICATE_PERCENT: integer('SIMPAY_DUPLICATE_PERCENT', 0, 100, 0),
    SIMPAY_JITTER_MS: integer('SIMPAY_JITTER_MS', 0, 60_000, 0),
    /** How long the simulated bank takes to answer its "answers later" test cards. */
    SIMPAY_BANK_DELAY_MS: integer('SIMPAY_BANK_DELAY_MS', 0, 600_000, 5_000),
    SIMPAY_WEBHOOK_URL: z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/\S+$/.test(v) && URL.canParse(v), { error: 'must be an http(s) URL, e.g. SIMPAY_WEBHOOK_URL=http://localhost:8080/webhooks/payments/simulated' })
      .optional(),
    MOYASAR_SECRET_KEY: secret(z.string().trim().regex(/^sk_(test|live)_\S+$/, { error: 'must be a Moyasar secret key, e.g. MOYASAR_SECRET_KEY=sk_test_…' }).optional()),
    MOYASAR_WEBHOOK_TOKEN: secret(z.string().trim().min(8, { error: 'must be the webhook secret token set in Moyasar, at least 8 characters' }).optional()),
    MOYASAR_BASE_URL: z
      .string()
      .trim()
      .refine((v) => URL.canParse(v), { error: 'must be a URL, e.g. MOYASAR_BASE_URL=https://api.moyasar.com/v1' })
      .optional(),
    SEED_DEMO: flag('SEED_DEMO', true),
    /** The socket.io Admin UI at /admin-ui/ for super admins (read-only). */
    ADMIN_UI: flag('ADMIN_UI', true),
  })
  .superRefine((env, ctx) => {
    if (env.HUB_MODE === 'development' && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['HUB_MODE'], message: 'contradicts NODE_ENV=production; unset HUB_MODE (production follows NODE_ENV) or unset NODE_ENV' });
    }
    if (env.STORE === 'mongo' && env.MONGO_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MONGO_URL'], message: `is required when STORE=mongo, e.g. MONGO_URL=${MONGO_EXAMPLE}` });
    }
    if (env.MAX_EVENT_BYTES > env.MAX_MESSAGE_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_EVENT_BYTES'],
        message: `must not exceed MAX_MESSAGE_BYTES (${env.MAX_MESSAGE_BYTES}), e.g. MAX_EVENT_BYTES=${Math.min(4_096, env.MAX_MESSAGE_BYTES)}`,
      });
    }
    if (env.PAYMENT_PROVIDER === 'moyasar') {
      for (const name of ['MOYASAR_SECRET_KEY', 'MOYASAR_WEBHOOK_TOKEN'] as const) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when PAYMENT_PROVIDER=moyasar (from Moyasar's dashboard)` });
      }
    }
    if ((env.VAPID_PUBLIC_KEY === undefined) !== (env.VAPID_PRIVATE_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.VAPID_PUBLIC_KEY === undefined ? 'VAPID_PUBLIC_KEY' : 'VAPID_PRIVATE_KEY'],
        message: 'VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both (npx web-push generate-vapid-keys) or neither',
      });
    }
    const loopbackPush = env.PUSH_SERVICE_HOSTS.filter((host) => isLoopbackHost(host));
    if (loopbackPush.length > 0 && (env.HUB_MODE === 'production' || env.NODE_ENV === 'production')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUSH_SERVICE_HOSTS'],
        message: `names this machine (${loopbackPush.join(', ')}): production mode refuses it, since any visitor's subscription would make the hub post to its local services; list the push service's public host name`,
      });
    }
    const mailboxProblems = env.DEV_MAILBOX ? devMailboxProblems(env) : [];
    if (mailboxProblems.length > 0) ctx.addIssue({ code: 'custom', path: ['DEV_MAILBOX'], message: mailboxProblems.join('; it also ') });
    if (env.RATE_LIMIT_BURST < env.RATE_LIMIT_PER_SECOND) {
      ctx.addIssue({
        code: 'custom',
        path: ['RATE_LIMIT_BURST'],
        message: `must be at least RATE_LIMIT_PER_SECOND (${env.RATE_LIMIT_PER_SECOND}), e.g. RATE_LIMIT_BURST=${env.RATE_LIMIT_PER_SECOND * 2}`,
      });
    }
  });

/**
 * Why the local mailbox may not be served with these settings: it shows every sign-in code, so
 * it is for a developer's own machine only, never for a hub that the public (or a proxy) reaches.
 */
function devMailboxProblems(env: { HOST: string; PUBLIC_URL?: string | undefined; NODE_ENV?: string | undefined; HUB_MODE: string }): string[] {
  const problems: string[] = [];
  if (env.HUB_MODE === 'production' || env.NODE_ENV === 'production') {
    problems.push('is for development only and refused in production (HUB_MODE or NODE_ENV=production); unset DEV_MAILBOX and set SMTP_URL');
  }
  if (!isLoopbackHost(env.HOST)) {
    problems.push(`shows every sign-in code, so it needs a hub that listens on loopback only (HOST=${env.HOST} serves the network): set HOST=127.0.0.1, or unset DEV_MAILBOX and set SMTP_URL`);
  }
  const publicHost = env.PUBLIC_URL === undefined ? 'localhost' : new URL(env.PUBLIC_URL).hostname;
  if (!isLoopbackHost(publicHost)) problems.push(`is refused while PUBLIC_URL (${env.PUBLIC_URL ?? ''}) points the public at this hub; unset DEV_MAILBOX and set SMTP_URL`);
  return problems;
}

/**
 * The parsed configuration. ALLOWED_ORIGINS: empty = same-origin pages and clients without an
 * Origin header (devices) only; `['*']` = any origin; otherwise the normalised origins listed.
 */
export type Config = z.output<typeof ConfigSchema>;

/**
 * A module's own section of the environment (its node part's `settings`): a zod object of its
 * variables, parsed with the core's at start-up, with the same defaults-and-fixes style (env-fields.ts).
 */
export interface EnvSection {
  /** The module's name; its parsed settings are found under it. */
  readonly name: string;
  readonly schema: z.ZodObject;
}

/** Each module's parsed settings, by module name. */
export type ModuleSettings = ReadonlyMap<string, unknown>;

/**
 * Either a usable configuration (the core's, and each module's section by module name) or every
 * problem found, each saying how to fix it.
 */
export type LoadConfigResult = { ok: true; config: Config; settings: ModuleSettings } | { ok: false; problems: string[] };

/** Values that only the running process knows, injected so that loading stays pure. */
export interface LoadConfigRuntime {
  hostname?: string;
  pid?: number;
  /** The process reading it (default `hub`): production mode asks a worker for fewer keys. */
  role?: ProcessRole;
  /** Whether the native uWebSockets.js binary loads here (default true): SOCKET_ENGINE defaults to ws when it does not. */
  nativeUws?: boolean;
}

/** The variables marked secret in a schema. */
function secretsOf(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([name]) => name);
}

/** The variables marked secret in the core schema; a logger can redact them too. */
export const SECRET_VARIABLES: readonly string[] = secretsOf(ConfigSchema);

/** The secret variables of the core and of the modules' sections, for a main's logger to redact. */
export function secretVariables(sections: readonly EnvSection[]): string[] {
  return [...SECRET_VARIABLES, ...sections.flatMap((section) => secretsOf(section.schema))];
}

/** Every variable the core and the sections read (a deployment sets no others). */
export function knownVariables(sections: readonly EnvSection[]): string[] {
  return [...Object.keys(ConfigSchema.shape), ...sections.flatMap((section) => Object.keys(section.schema.shape))];
}

/** Refuses two sections (or a section and the core) reading the same variable: a wiring mistake. */
function assertDisjoint(sections: readonly EnvSection[]): void {
  const owner = new Map<string, string>(Object.keys(ConfigSchema.shape).map((name) => [name, 'the core configuration']));
  for (const section of sections) {
    for (const name of Object.keys(section.schema.shape)) {
      const other = owner.get(name);
      if (other !== undefined) throw new Error(`${name} is read by both ${other} and the ${section.name} module`);
      owner.set(name, `the ${section.name} module`);
    }
  }
}

/**
 * Parses the environment: the core schema, then each module's section (`sections`, in list order).
 * Blank values count as unset. NODE_ID defaults to `<hostname>-<pid>` from `runtime` (read from the
 * OS at call time when omitted); HUB_MODE to production when NODE_ENV=production; SEED_DEMO to
 * false in production, true otherwise. In production, what `productionProblems` finds is refused too.
 */
export function loadConfig(env: Record<string, string | undefined>, runtime: LoadConfigRuntime = {}, sections: readonly EnvSection[] = []): LoadConfigResult {
  assertDisjoint(sections);
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[name] = value;
  }
  present.NODE_ID ??= defaultNodeId(runtime.hostname ?? osHostname(), runtime.pid ?? process.pid);
  present.SOCKET_ENGINE ??= runtime.nativeUws === false ? 'ws' : 'uws';
  present.HUB_MODE ??= present.NODE_ENV?.trim() === 'production' ? 'production' : 'development';
  present.SEED_DEMO ??= present.HUB_MODE.trim().toLowerCase() === 'production' ? 'false' : 'true';

  const parsed = ConfigSchema.safeParse(present);
  const settings = new Map<string, unknown>();
  const issues: z.core.$ZodIssue[] = parsed.success ? [] : [...parsed.error.issues];
  for (const section of sections) {
    const own = section.schema.safeParse(present);
    if (own.success) settings.set(section.name, own.data);
    else issues.push(...own.error.issues);
  }
  if (parsed.success && issues.length === 0) {
    const refused = parsed.data.HUB_MODE === 'production' ? productionProblems(parsed.data, runtime.role ?? 'hub') : [];
    return refused.length === 0 ? { ok: true, config: parsed.data, settings } : { ok: false, problems: refused };
  }

  const secretNames = secretVariables(sections);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const name = String(issue.path[0] ?? 'environment');
    if (seen.has(name)) continue;
    seen.add(name);
    const raw = present[name];
    problems.push(raw === undefined ? `${name} is not set: ${issue.message}` : `${name}=${show(name, raw, secretNames)}: ${issue.message}`);
  }
  const mask = secretMasker(present, secretNames);
  return { ok: false, problems: problems.map(mask) };
}

/** A message for a `main` to print before exiting when the configuration is refused. */
export function formatConfigProblems(problems: readonly string[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [
    `[config.invalid] Venue Hub cannot start: the environment has ${count}.`,
    ...problems.map((p) => `  - ${p}`),
    'Fix the variables above (or unset them to use the defaults) and start again.',
  ].join('\n');
}

/** `<hostname>-<pid>` cut to what NODE_ID accepts. */
function defaultNodeId(hostname: string, pid: number): string {
  const host = hostname.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'hub';
  const suffix = `-${pid}`;
  return `${host.slice(0, 64 - suffix.length)}${suffix}`;
}

/** The value as it may appear in a log: secrets hidden, URL passwords masked, long values cut. */
function show(name: string, raw: string, secretNames: readonly string[]): string {
  if (secretNames.includes(name)) return `<${raw.length} characters, hidden>`;
  const masked = maskUrlCredentials(raw);
  return masked.length > 120 ? `${masked.slice(0, 117)}...` : masked;
}

/**
 * Where `scheme://user:pass@host` keeps its password, for each comma-separated piece of a value.
 * The userinfo runs to the last `@`, since a mistyped password may hold `/`, `@` or spaces.
 */
function urlPasswords(value: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let offset = 0;
  for (const piece of value.split(',')) {
    const scheme = /[a-z][a-z0-9+.-]*:\/\//i.exec(piece);
    const at = piece.lastIndexOf('@');
    if (scheme && at > scheme.index + scheme[0].length) {
      const userStart = offset + scheme.index + scheme[0].length;
      const colon = value.indexOf(':', userStart);
      const start = colon >= 0 && colon < offset + at ? colon + 1 : userStart;
      found.push({ start, end: offset + at });
    }
    offset += piece.length + 1;
  }
  return found;
}

/** `scheme://user:pass@host` → `scheme://user:***@host` (a user alone, which may be a token, → `***@host`). */
function maskUrlCredentials(value: string): string {
  return urlPasswords(value).reduceRight((text, { start, end }) => `${text.slice(0, start)}***${text.slice(end)}`, value);
}

/**
 * A last pass over every message: whatever a schema's message might have echoed, the values of
 * secret variables (whole, and each long piece such as a JWK's `d`) and URL passwords never get out.
 */
function secretMasker(env: Record<string, string>, secretNames: readonly string[]): (message: string) => string {
  const hidden = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (secretNames.includes(name)) {
      hidden.add(value.trim());
      for (const piece of value.split(/[^A-Za-z0-9_+/=.~-]+/)) if (piece.length >= 8) hidden.add(piece);
    }
    for (const { start, end } of urlPasswords(value)) hidden.add(value.slice(start, end));
  }
  const masked = [...hidden].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (message) => masked.reduce((text, s) => text.split(s).join('***'), message);
}
