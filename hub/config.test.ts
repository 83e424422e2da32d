import { describe, expect, it } from 'vitest';
import { generateSigningJwk } from './auth/keys.js';
import { z } from 'zod';
import { SECRET_VARIABLES, formatConfigProblems, knownVariables, loadConfig, secretVariables } from './config.js';
import { integer, secret } from './env-fields.js';
import type { Config, LoadConfigResult } from './config.js';
import { VENUE_MODULES } from './modules/index.js';
import { envSections } from './modules/node-part.js';

const runtime = { hostname: 'hub-host', pid: 4242 };
/** The venue's modules' own sections, parsed with the core's as the mains parse them. */
const sections = envSections(VENUE_MODULES);

/** The core configuration and every module's settings in one object (their variables are unique). */
function ok(env: Record<string, string | undefined>): Config & Record<string, unknown> {
  const result = loadConfig(env, runtime, sections);
  if (!result.ok) throw new Error(`expected a valid config, got:\n${result.problems.join('\n')}`);
  return Object.assign({}, result.config, ...result.settings.values()) as Config & Record<string, unknown>;
}

function problems(env: Record<string, string | undefined>): string[] {
  const result: LoadConfigResult = loadConfig(env, runtime, sections);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.problems;
}

describe('loadConfig defaults', () => {
  it('refuses a closing time that is not HH:MM', () => {
    expect(loadConfig({ VENUE_CLOSES_AT: '25:00' }, { hostname: 'host', pid: 1 }, sections)).toMatchObject({ ok: false });
  });

  it('starts from an empty environment with the embedded defaults', () => {
    expect(ok({})).toEqual({
      PORT: 8080,
      WORKER_PORT: 8081,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      STORE: 'sqlite',
      SOCKET_ENGINE: 'uws',
      BACKGROUND_WORK: 'here',
      ALLOWED_ORIGINS: [],
      TRUSTED_PROXIES: [],
      NODE_ID: 'hub-host-4242',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'text',
      TOKEN_ISSUER: 'venue-hub',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      DEVICE_TOKEN_TTL_SECONDS: 2_592_000,
      HOLD_MINUTES: 15,
      HOLD_MAX_PLACES_PER_SLOT: 20,
      HOLD_MAX_PLACES: 40,
      REVIEW_HOURS: 24,
      PAYMENT_MINUTES: 15,
      REFUND_FULL_HOURS: 48,
      REFUND_PARTIAL_HOURS: 24,
      REFUND_PARTIAL_PERCENT: 50,
      TIMER_POLL_MS: 1000,
      MAX_MESSAGE_BYTES: 16_384,
      MAX_EVENT_BYTES: 4_096,
      RATE_LIMIT_PER_SECOND: 50,
      RATE_LIMIT_BURST: 100,
      DRAIN_BATCH_SIZE: 500,
      DRAIN_TIMEOUT_MS: 10_000,
      OTP_TTL_MINUTES: 10,
      OTP_ATTEMPTS_PER_CODE: 5,
      OTP_FAILURES_PER_HOUR: 10,
      OTP_LOCK_MINUTES: 30,
      OTP_RESEND_SECONDS: 30,
      OTP_SENDS_PER_HOUR: 5,
      REFRESH_TTL_DAYS: 30,
      AUTH_RATE_PER_MINUTE: 60,
      AUTH_RATE_BURST: 30,
      VENUE_TIME_ZONE: 'Asia/Riyadh',
      SLOT_HORIZON_DAYS: 7,
      CHECKOUT_GRACE_MINUTES: 15,
      RENTAL_HOURS: 4,
      VENUE_CLOSES_AT: '22:00',
      FOOD_PICKUP_POINT: 'Poolside café counter',
      FOOD_PICKUP_POINT_AR: 'كاونتر مقهى المسبح',
      FOOD_NOT_COLLECTED_MINUTES: 30,
      FOOD_KITCHEN_REFUND_PERCENT: 0,
      FOOD_PAYMENT_MINUTES: 15,
      MAIL_FROM: 'Venue Hub <no-reply@venue-hub.local>',
      SMS_SENDER: 'VenueHub',
      DEV_MAILBOX: false,
      HUB_MODE: 'development',
      ALLOW_DEMO_DATA: false,
      ALLOW_GENERATED_KEYS: false,
      ALLOW_LOCAL_MAILBOX: false,
      ALLOW_SIMULATED_PAYMENTS: false,
      VAPID_SUBJECT: 'mailto:ops@venue-hub.local',
      PUSH_SERVICE_HOSTS: [],
      PAYMENT_PROVIDER: 'simulated',
      PAYMENT_WEBHOOK_TOLERANCE_S: 300,
      PAYMENT_RECONCILE_AFTER_S: 600,
      PAYMENT_RECONCILE_EVERY_S: 60,
      SIMPAY_DUPLICATE_PERCENT: 0,
      SIMPAY_JITTER_MS: 0,
      SIMPAY_BANK_DELAY_MS: 5_000,
      SEED_DEMO: true,
      ADMIN_UI: true,
    });
  });

  it('checks the visitor-journey settings and says how to fix them', () => {
    const bad = loadConfig({ OTP_TTL_MINUTES: '30', VENUE_TIME_ZONE: 'Mars/Olympus', PAYMENT_PROVIDER: 'moyasar', VAPID_PUBLIC_KEY: 'x', SMTP_URL: 'http://x' }, runtime, sections);
    expect(bad.ok).toBe(false);
    const text = bad.ok ? '' : bad.problems.join('\n');
    for (const name of ['OTP_TTL_MINUTES', 'VENUE_TIME_ZONE', 'MOYASAR_SECRET_KEY', 'MOYASAR_WEBHOOK_TOKEN', 'VAPID_PRIVATE_KEY', 'SMTP_URL']) expect(text).toContain(name);
    expect(ok({ PUBLIC_URL: 'https://tickets.venue.example', SIMPAY_DUPLICATE_PERCENT: '20' })).toMatchObject({ PUBLIC_URL: 'https://tickets.venue.example', SIMPAY_DUPLICATE_PERCENT: 20 });
  });

  it('treats blank values as unset and ignores unrelated variables', () => {
    const config = ok({ PORT: '', LOG_LEVEL: '   ', TOKEN_ISSUER: '', PATH: '/usr/bin', HOME: undefined });
    expect(config.PORT).toBe(8080);
    expect(config.TOKEN_ISSUER).toBe('venue-hub');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config).not.toHaveProperty('PATH');
  });

  it('defaults SOCKET_ENGINE to ws where the native uWS binary does not load, and keeps an explicit choice', () => {
    expect(loadConfig({}, { hostname: 'h', pid: 1, nativeUws: false })).toMatchObject({ ok: true, config: { SOCKET_ENGINE: 'ws' } });
    expect(loadConfig({}, { hostname: 'h', pid: 1, nativeUws: true })).toMatchObject({ ok: true, config: { SOCKET_ENGINE: 'uws' } });
    expect(loadConfig({ SOCKET_ENGINE: 'uws' }, { hostname: 'h', pid: 1, nativeUws: false })).toMatchObject({ ok: true, config: { SOCKET_ENGINE: 'uws' } });
  });

  it('derives NODE_ID from the injected hostname and pid, made safe', () => {
    expect(loadConfig({}, { hostname: 'Box #1.local', pid: 7 })).toMatchObject({ ok: true, config: { NODE_ID: 'Box-1.local-7' } });
    expect(ok({ NODE_ID: 'hub-a' }).NODE_ID).toBe('hub-a');
  });

  it('does not read process.env', () => {
    process.env.PORT = '1234';
    try {
      expect(ok({}).PORT).toBe(8080);
    } finally {
      delete process.env.PORT;
    }
  });
});

describe('loadConfig coercion', () => {
  it('coerces numbers, booleans, enums and lists', () => {
    const config = ok({
      PORT: '0',
      STORE: 'Mongo',
      MONGO_URL: 'mongodb+srv://user:pw@cluster.example.net/venue',
      REDIS_URL: 'rediss://cache.example.net:6380',
      SOCKET_ENGINE: 'ws',
      ALLOWED_ORIGINS: ' https://Venue.Example.com/ , http://localhost:5173,https://venue.example.com',
      LOG_LEVEL: 'DEBUG',
      ACCESS_TOKEN_TTL_SECONDS: ' 600 ',
      HOLD_MINUTES: '20',
      REVIEW_HOURS: '48',
      PAYMENT_MINUTES: '10',
      TIMER_POLL_MS: '250',
      MAX_MESSAGE_BYTES: '8192',
      MAX_EVENT_BYTES: '2048',
      RATE_LIMIT_PER_SECOND: '20',
      RATE_LIMIT_BURST: '40',
      DRAIN_BATCH_SIZE: '100',
      DRAIN_TIMEOUT_MS: '0',
      SEED_DEMO: 'False',
    });
    expect(config).toMatchObject({
      PORT: 0,
      STORE: 'mongo',
      MONGO_URL: 'mongodb+srv://user:pw@cluster.example.net/venue',
      REDIS_URL: 'rediss://cache.example.net:6380',
      SOCKET_ENGINE: 'ws',
      ALLOWED_ORIGINS: ['https://venue.example.com', 'http://localhost:5173'],
      LOG_LEVEL: 'debug',
      ACCESS_TOKEN_TTL_SECONDS: 600,
      HOLD_MINUTES: 20,
      REVIEW_HOURS: 48,
      PAYMENT_MINUTES: 10,
      TIMER_POLL_MS: 250,
      MAX_MESSAGE_BYTES: 8_192,
      MAX_EVENT_BYTES: 2_048,
      RATE_LIMIT_PER_SECOND: 20,
      RATE_LIMIT_BURST: 40,
      DRAIN_BATCH_SIZE: 100,
      DRAIN_TIMEOUT_MS: 0,
      SEED_DEMO: false,
    });
  });

  it('lists extra push service hosts, lower-cased and once each', () => {
    expect(ok({ PUSH_SERVICE_HOSTS: ' Push.Venue.Example, 127.0.0.1,push.venue.example ' }).PUSH_SERVICE_HOSTS).toEqual(['push.venue.example', '127.0.0.1']);
  });

  it("accepts '*' alone as any origin", () => {
    expect(ok({ ALLOWED_ORIGINS: '*' }).ALLOWED_ORIGINS).toEqual(['*']);
  });

  it('parses JWT_PRIVATE_KEYS into JWKs, active first', async () => {
    const active = await generateSigningJwk();
    const { d: _d, ...retired } = await generateSigningJwk();
    const config = ok({ JWT_PRIVATE_KEYS: JSON.stringify([active, retired]) });
    expect(config.JWT_PRIVATE_KEYS).toEqual([active, retired]);
  });
});

describe('loadConfig problems', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'abc' }, 'PORT=abc: must be an integer 0-65535, e.g. PORT=8080'],
    [{ PORT: '65536' }, 'PORT=65536: must be an integer 0-65535, e.g. PORT=8080'],
    [{ PORT: '-1' }, 'PORT=-1: must be an integer 0-65535, e.g. PORT=8080'],
    [{ STORE: 'postgres' }, 'STORE=postgres: must be one of sqlite, mongo, e.g. STORE=sqlite'],
    [{ MONGO_URL: 'http://db:27017' }, 'MONGO_URL=http://db:27017: must start with mongodb:// or mongodb+srv://, e.g. MONGO_URL=mongodb://localhost:27017/venue-hub'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL=localhost:6379: must be a redis:// or rediss:// URL, e.g. REDIS_URL=redis://localhost:6379'],
    [{ SOCKET_ENGINE: 'uwebsockets' }, 'SOCKET_ENGINE=uwebsockets: must be one of uws, ws, e.g. SOCKET_ENGINE=uws'],
    [{ ALLOWED_ORIGINS: 'https://a.example/app' }, 'ALLOWED_ORIGINS=https://a.example/app: "https://a.example/app" is not an origin'],
    [{ ALLOWED_ORIGINS: 'venue.example.com' }, 'ALLOWED_ORIGINS=venue.example.com: "venue.example.com" is not an origin'],
    [{ ALLOWED_ORIGINS: '*,https://a.example' }, "ALLOWED_ORIGINS=*,https://a.example: '*' allows every origin and cannot be mixed"],
    [{ NODE_ID: 'hub 1' }, 'NODE_ID=hub 1: must be 1-64 letters, digits, dots, dashes or underscores'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL=verbose: must be one of debug, info, warn, error, e.g. LOG_LEVEL=info'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '15m' }, 'ACCESS_TOKEN_TTL_SECONDS=15m: must be an integer 60-86400, e.g. ACCESS_TOKEN_TTL_SECONDS=900'],
    [{ DEVICE_TOKEN_TTL_SECONDS: '60' }, 'DEVICE_TOKEN_TTL_SECONDS=60: must be an integer 3600-31536000, e.g. DEVICE_TOKEN_TTL_SECONDS=2592000'],
    [{ HOLD_MINUTES: '0' }, 'HOLD_MINUTES=0: must be an integer 1-1440, e.g. HOLD_MINUTES=15'],
    [{ REVIEW_HOURS: '1.5' }, 'REVIEW_HOURS=1.5: must be an integer 1-720, e.g. REVIEW_HOURS=24'],
    [{ PAYMENT_MINUTES: 'ten' }, 'PAYMENT_MINUTES=ten: must be an integer 1-1440, e.g. PAYMENT_MINUTES=15'],
    [{ TIMER_POLL_MS: '99999999999999999999' }, 'TIMER_POLL_MS=99999999999999999999: must be an integer 50-60000, e.g. TIMER_POLL_MS=1000'],
    [{ SEED_DEMO: 'yes' }, 'SEED_DEMO=yes: must be true or false, e.g. SEED_DEMO=false'],
    [{ MAX_MESSAGE_BYTES: '2000000' }, 'MAX_MESSAGE_BYTES=2000000: must be an integer 1024-1000000, e.g. MAX_MESSAGE_BYTES=16384'],
    [{ MAX_EVENT_BYTES: '100' }, 'MAX_EVENT_BYTES=100: must be an integer 256-1000000, e.g. MAX_EVENT_BYTES=4096'],
    [{ MAX_EVENT_BYTES: '32768' }, 'MAX_EVENT_BYTES=32768: must not exceed MAX_MESSAGE_BYTES (16384), e.g. MAX_EVENT_BYTES=4096'],
    [{ REFUND_PARTIAL_HOURS: '72' }, 'REFUND_PARTIAL_HOURS=72: must not exceed REFUND_FULL_HOURS (48), e.g. REFUND_PARTIAL_HOURS=24'],
    [{ HOLD_MAX_PLACES_PER_SLOT: '0' }, 'HOLD_MAX_PLACES_PER_SLOT=0: must be an integer 1-10000, e.g. HOLD_MAX_PLACES_PER_SLOT=20'],
    [{ HOLD_MAX_PLACES_PER_SLOT: '50' }, 'HOLD_MAX_PLACES_PER_SLOT=50: must not exceed HOLD_MAX_PLACES (40), e.g. HOLD_MAX_PLACES_PER_SLOT=20'],
    [{ HOLD_MAX_PLACES: 'lots' }, 'HOLD_MAX_PLACES=lots: must be an integer 1-100000, e.g. HOLD_MAX_PLACES=40'],
    [{ REFUND_PARTIAL_PERCENT: '150' }, 'REFUND_PARTIAL_PERCENT=150: must be an integer 0-100, e.g. REFUND_PARTIAL_PERCENT=50'],
    [{ RATE_LIMIT_PER_SECOND: '0' }, 'RATE_LIMIT_PER_SECOND=0: must be an integer 1-10000, e.g. RATE_LIMIT_PER_SECOND=50'],
    [{ RATE_LIMIT_BURST: '10' }, 'RATE_LIMIT_BURST=10: must be at least RATE_LIMIT_PER_SECOND (50), e.g. RATE_LIMIT_BURST=100'],
    [{ DRAIN_BATCH_SIZE: '0' }, 'DRAIN_BATCH_SIZE=0: must be an integer 1-100000, e.g. DRAIN_BATCH_SIZE=500'],
    [{ DRAIN_TIMEOUT_MS: 'soon' }, 'DRAIN_TIMEOUT_MS=soon: must be an integer 0-600000, e.g. DRAIN_TIMEOUT_MS=10000'],
    [{ PUSH_SERVICE_HOSTS: 'https://push.example' }, 'PUSH_SERVICE_HOSTS=https://push.example: "https://push.example" is not a host name'],
    [{ PUSH_SERVICE_HOSTS: 'localhost', HUB_MODE: 'production' }, 'PUSH_SERVICE_HOSTS=localhost: names this machine (localhost): production mode refuses it'],
  ];

  it.each(cases)('%o is refused with a message that says how to fix it', (env, expected) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]?.startsWith(expected)).toBe(true);
  });

  it('requires MONGO_URL when STORE=mongo', () => {
    expect(problems({ STORE: 'mongo' })).toEqual([
      'MONGO_URL is not set: is required when STORE=mongo, e.g. MONGO_URL=mongodb://localhost:27017/venue-hub',
    ]);
    expect(ok({ STORE: 'mongo', MONGO_URL: 'mongodb://db-1:27017,db-2:27017/venue?replicaSet=rs0' }).STORE).toBe('mongo');
    expect(ok({ STORE: 'sqlite' }).MONGO_URL).toBeUndefined();
  });

  it('reports every bad variable at once, in schema order', () => {
    const found = problems({ PORT: 'x', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' });
    expect(found.map((p) => p.split('=')[0])).toEqual(['PORT', 'LOG_LEVEL', 'SEED_DEMO']);
  });

  it('never echoes secrets: private keys hidden, URL passwords masked', () => {
    const [keys] = problems({ JWT_PRIVATE_KEYS: '{"d":"super-secret"}' });
    expect(keys).toMatch(/^JWT_PRIVATE_KEYS=<\d+ characters, hidden>: /);
    expect(keys).not.toContain('super-secret');
    const [url] = problems({ MONGO_URL: 'postgres://admin:hunter2@db/venue' });
    expect(url).toContain('postgres://admin:***@db/venue');
    expect(url).not.toContain('hunter2');
  });

  it('marks every variable that holds a secret, and only those, in the core and the modules alike', () => {
    const looksSecret = knownVariables(sections).filter((name) => /KEY|SECRET|TOKEN|PEPPER|PASSWORD/.test(name));
    const notSecret = ['TOKEN_ISSUER', 'ACCESS_TOKEN_TTL_SECONDS', 'DEVICE_TOKEN_TTL_SECONDS', 'VAPID_PUBLIC_KEY', 'ALLOW_GENERATED_KEYS'];
    expect(secretVariables(sections).sort()).toEqual(looksSecret.filter((name) => !notSecret.includes(name)).sort());
    expect(SECRET_VARIABLES).toEqual(expect.arrayContaining(['TICKET_PRIVATE_KEYS', 'JWT_PRIVATE_KEYS', 'ACCOUNT_PEPPER', 'MOYASAR_SECRET_KEY', 'MOYASAR_WEBHOOK_TOKEN', 'PAYMENT_WEBHOOK_SECRET', 'VAPID_PRIVATE_KEY']));
  });

  it('never prints a bad secret, whatever the variable and whatever else is wrong', async () => {
    const jwk = await generateSigningJwk();
    const badKeys = JSON.stringify([{ ...jwk, kid: '' }]);
    const env = {
      TICKET_PRIVATE_KEYS: badKeys,
      JWT_PRIVATE_KEYS: badKeys,
      ACCOUNT_PEPPER: 'pepper-leak-1',
      MOYASAR_SECRET_KEY: 'pk_live_leak2leak2',
      MOYASAR_WEBHOOK_TOKEN: 'tok3',
      PAYMENT_WEBHOOK_SECRET: 'leak-4',
      VAPID_PRIVATE_KEY: 'vapid-leak-5',
      REDIS_URL: 'redis://:p@ss/leak-6@cache:6379/0 #primary',
      MONGO_URL: 'mongodb://ops:leak-7@db-1:27017,db-2:27017/venue',
      STORE: 'mongo',
      SMTP_URL: 'smtp://mailer:leak-8 x@smtp.example',
      ALLOWED_ORIGINS: 'https://someone:leak-9@venue.example',
      PORT: 'x',
    };
    const found = problems(env);
    const printed = formatConfigProblems(found);
    expect(found.map((p) => p.split(/[=: ]/)[0])).toEqual(expect.arrayContaining(['TICKET_PRIVATE_KEYS', 'ACCOUNT_PEPPER', 'MOYASAR_SECRET_KEY', 'PAYMENT_WEBHOOK_SECRET', 'REDIS_URL', 'SMTP_URL', 'ALLOWED_ORIGINS']));
    for (const secret of [jwk.d ?? '', 'pepper-leak-1', 'leak2leak2', 'tok3', 'leak-4', 'vapid-leak-5', 'leak-6', 'leak-7', 'leak-8', 'leak-9']) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toMatch(/TICKET_PRIVATE_KEYS=<\d+ characters, hidden>: /);
    expect(printed).toMatch(/ACCOUNT_PEPPER=<\d+ characters, hidden>: /);
  });

  it('explains what is wrong inside JWT_PRIVATE_KEYS', async () => {
    const { d: _d, ...publicOnly } = await generateSigningJwk();
    expect(problems({ JWT_PRIVATE_KEYS: 'not json' })[0]).toContain('must be a JSON array of Ed25519 private JWKs');
    expect(problems({ JWT_PRIVATE_KEYS: JSON.stringify([publicOnly]) })[0]).toContain('the first key signs, so it must be a private key');
    expect(problems({ JWT_PRIVATE_KEYS: JSON.stringify([{ ...publicOnly, kid: undefined, d: 'abc' }]) })[0]).toContain('every key needs a "kid"');
  });
});

describe('formatConfigProblems', () => {
  it('prints a coded block, one bullet per problem, for a main to show', () => {
    const text = formatConfigProblems(['PORT=abc: must be an integer 0-65535, e.g. PORT=8080']);
    expect(text).toBe(
      [
        '[config.invalid] Venue Hub cannot start: the environment has 1 problem.',
        '  - PORT=abc: must be an integer 0-65535, e.g. PORT=8080',
        'Fix the variables above (or unset them to use the defaults) and start again.',
      ].join('\n'),
    );
    expect(formatConfigProblems(['a', 'b'])).toContain('has 2 problems.');
  });
});

describe('the modules\' own sections', () => {
  it('are parsed with the core: their defaults, their refusals in the same list, their secrets masked the same way', () => {
    const section = { name: 'lanes', schema: z.object({ LANE_COUNT: integer('LANE_COUNT', 1, 12, 4), LANE_API_KEY: secret(z.string().min(40).optional()) }) };
    const loaded = loadConfig({}, runtime, [section]);
    expect(loaded.ok && loaded.settings.get('lanes')).toEqual({ LANE_COUNT: 4 });
    const refused = loadConfig({ PORT: 'x', LANE_COUNT: '13', LANE_API_KEY: 'too-short-but-secret' }, runtime, [section]);
    expect(refused.ok ? [] : refused.problems).toEqual([
      'PORT=x: must be an integer 0-65535, e.g. PORT=8080',
      'LANE_COUNT=13: must be an integer 1-12, e.g. LANE_COUNT=4',
      expect.stringMatching(/^LANE_API_KEY=<20 characters, hidden>: /),
    ]);
    expect(secretVariables([section])).toEqual([...SECRET_VARIABLES, 'LANE_API_KEY']);
  });

  it('may not read a variable the core or another module reads', () => {
    expect(() => loadConfig({}, runtime, [{ name: 'lanes', schema: z.object({ PORT: integer('PORT', 1, 2, 1) }) }])).toThrow(/PORT is read by both the core configuration and the lanes module/);
    const twice = { name: 'again', schema: z.object({ HOLD_MINUTES: integer('HOLD_MINUTES', 1, 2, 1) }) };
    expect(() => loadConfig({}, runtime, [...sections, twice])).toThrow(/HOLD_MINUTES is read by both the bookings module and the again module/);
  });
});

