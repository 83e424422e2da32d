/**
 * docker-compose.yml cannot be started here (no Docker engine), so this validates it with
 * Debian's `docker-compose config` and holds it to the code: every command exists and receives
 * the stop signal itself, every variable given to a hub or worker is one the config schema reads
 * and its value is accepted in production mode, every dependency waits on a health check, and
 * every mounted or built file is in the repository.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { z } from 'zod';
import { generateSigningJwk } from './auth/keys.js';
import { formatConfigProblems, knownVariables, loadConfig } from './config.js';
import { VENUE_MODULES } from './modules/index.js';
import { envSections } from './modules/node-part.js';
import type { LoadConfigResult } from './config.js';

const ROOT = new URL('..', import.meta.url).pathname;
const INSTALL_HINT = 'install Debian\'s package: apt-get update && apt-get install -y docker-compose (npm test does this)';

const Service = z.object({
  command: z.union([z.array(z.string()), z.string()]).optional(),
  init: z.boolean().optional(),
  environment: z.record(z.string(), z.string().nullable()).default({}),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  image: z.string().optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  volumes: z.array(z.string()).default([]),
  networks: z.record(z.string(), z.object({ aliases: z.array(z.string()).default([]) }).nullable()).default({}),
});
type Service = z.infer<typeof Service>;
const ComposeConfig = z.object({ services: z.record(z.string(), Service) });

// An empty env file, so that a developer's own .env beside docker-compose.yml changes nothing here.
const scratch = mkdtempSync(join(tmpdir(), 'vh-compose-'));
const NO_ENV_FILE = join(scratch, 'empty.env');
writeFileSync(NO_ENV_FILE, '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `docker-compose config` on the repository's file with exactly `env` for interpolation. */
function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('docker-compose', ['--env-file', NO_ENV_FILE, '-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
  });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `docker-compose is not installed: ${INSTALL_HINT}` : `docker-compose failed to run: ${run.error.message}`);
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** YAML to JSON through the PyYAML that Debian's docker-compose itself depends on. */
function yamlToJson(yaml: string): unknown {
  const run = spawnSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cannot read docker-compose's output as YAML (${INSTALL_HINT}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/**
 * Where a service's command leads: a source file run by node itself (through the TypeScript loader),
 * or a problem. npm or the tsx CLI in between would take the SIGTERM of `docker compose stop` and
 * leave the hub undrained.
 */
function commandProblem(command: readonly string[], deps: Record<string, string>): string | null {
  const [program, ...args] = command;
  if (program === 'node') {
    if (args.includes('tsx') && deps.tsx === undefined) return 'tsx is not a runtime dependency';
    const loader = args.find((a) => a.includes('/loader/'));
    if (loader !== undefined && !existsSync(join(ROOT, loader))) return `the loader ${loader} does not exist`;
    if (loader !== undefined && deps.esbuild === undefined) return 'esbuild (the loader transpiles with it) is not a runtime dependency';
    const file = args.find((a) => a !== loader && /\.(ts|js|mjs)$/.test(a));
    return file !== undefined && existsSync(join(ROOT, file)) ? null : `entry file ${file ?? '(none)'} does not exist`;
  }
  return `${program ?? '(none)'} would stand between the init process and node: run node --import ./hub/loader/register.mjs <entry file>`;
}

/** The process role a service's command starts. */
function roleOf(service: Service): 'hub' | 'worker' {
  const command = typeof service.command === 'string' ? service.command : (service.command ?? []).join(' ');
  return command.includes('worker-main') ? 'worker' : 'hub';
}

/** The configuration a service's process would load. */
function configOf(name: string, service: Service): LoadConfigResult {
  const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, v ?? undefined]));
  return loadConfig(env, { hostname: name, pid: 1, role: roleOf(service) }, envSections(VENUE_MODULES));
}

describe('docker-compose.yml', () => {
  let services: Record<string, Service>;
  let keys: string;
  let shared: Record<string, string>;
  const appServices = () => Object.entries(services).filter(([, s]) => s.build !== undefined);

  beforeAll(async () => {
    keys = JSON.stringify([await generateSigningJwk()]);
    const vapid = webPush.generateVAPIDKeys();
    shared = {
      ACCOUNT_PEPPER: randomBytes(32).toString('base64'),
      TICKET_PRIVATE_KEYS: JSON.stringify([await generateSigningJwk()]),
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      SMTP_URL: 'smtps://venue:secret@smtp.example.com:465',
      MOYASAR_SECRET_KEY: 'sk_live_0123456789abcdef',
      MOYASAR_WEBHOOK_TOKEN: randomBytes(16).toString('hex'),
    };
    services = render({ JWT_PRIVATE_KEYS: keys, ...shared });
  });

  /** The services as `docker compose` would run them with `env` in the shell. */
  function render(env: Record<string, string>): Record<string, Service> {
    const result = composeConfig(env);
    expect(result.status, result.stderr).toBe(0);
    return ComposeConfig.parse(yamlToJson(result.stdout)).services;
  }

  it('runs MongoDB as a replica set, Redis, two hub nodes, a worker and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['hub-1', 'hub-2', 'lb', 'mongo', 'redis', 'worker']);
    expect(services.mongo?.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    for (const [name, service] of appServices()) expect(service.environment.MONGO_URL, name).toMatch(/replicaSet=rs0/);
  });

  it('refuses to render without signing keys and names the variable', () => {
    const result = composeConfig({ ...shared });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('JWT_PRIVATE_KEYS');
  });

  it('every hub and worker command is node running an entry file that exists, under an init process that passes SIGTERM on', () => {
    const pkg = z.object({ dependencies: z.record(z.string(), z.string()) }).parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
    expect(appServices().length).toBe(3);
    for (const [name, service] of appServices()) {
      const command = typeof service.command === 'string' ? service.command.split(/\s+/) : (service.command ?? []);
      expect(commandProblem(command, pkg.dependencies), name).toBeNull();
      expect(service.init, `${name} needs init: true (a reaping PID 1 that forwards signals)`).toBe(true);
      expect(existsSync(join(service.build!.context, service.build!.dockerfile)), name).toBe(true);
    }
  });

  it('every variable given to a hub or worker is read by the config schema or a module section and its value is accepted', () => {
    const known = new Set(knownVariables(envSections(VENUE_MODULES)));
    for (const [name, service] of appServices()) {
      const unknown = Object.keys(service.environment).filter((v) => !known.has(v));
      expect(unknown, `${name} sets variables neither hub/config.ts nor a module's node part reads`).toEqual([]);
      const loaded = configOf(name, service);
      expect(loaded.ok, loaded.ok ? name : formatConfigProblems(loaded.problems)).toBe(true);
    }
    const nodeIds = appServices().map(([, s]) => s.environment.NODE_ID);
    expect(new Set(nodeIds).size, 'every node needs its own NODE_ID').toBe(nodeIds.length);
    expect(services['hub-1']?.environment.JWT_PRIVATE_KEYS).toBe(keys);
  });

  it('runs every process in production mode, Moyasar and SMTP by default, without demo data', () => {
    for (const [name, service] of appServices()) {
      const loaded = configOf(name, service);
      expect(loaded, name).toMatchObject({ ok: true, config: { HUB_MODE: 'production', PAYMENT_PROVIDER: 'moyasar', SEED_DEMO: false, STORE: 'mongo' } });
      if (!loaded.ok) continue;
      expect(loaded.config.MOYASAR_SECRET_KEY, name).toBe(shared.MOYASAR_SECRET_KEY);
      expect(loaded.config.MOYASAR_WEBHOOK_TOKEN, name).toBe(shared.MOYASAR_WEBHOOK_TOKEN);
      expect(loaded.config.MOYASAR_BASE_URL, name).toBe('https://api.moyasar.com/v1');
      expect(loaded.config.SMTP_URL, name).toBe(shared.SMTP_URL);
    }
  });

  it('refuses to start without Moyasar keys or mail, naming what to set; the simulator and the mailbox only when allowed', () => {
    const { MOYASAR_SECRET_KEY: _key, MOYASAR_WEBHOOK_TOKEN: _token, SMTP_URL: _smtp, ...secretsOnly } = shared;
    const bare = render({ JWT_PRIVATE_KEYS: keys, ...secretsOnly });
    for (const name of ['hub-1', 'worker']) {
      const loaded = configOf(name, bare[name]!);
      expect(loaded.ok, name).toBe(false);
      if (loaded.ok) continue;
      const text = loaded.problems.join('\n');
      expect(text, name).toMatch(/^MOYASAR_SECRET_KEY is not set: is required when PAYMENT_PROVIDER=moyasar/m);
      expect(text, name).toMatch(/^MOYASAR_WEBHOOK_TOKEN is not set: /m);
    }
    const trial = render({
      JWT_PRIVATE_KEYS: keys,
      ...secretsOnly,
      PAYMENT_PROVIDER: 'simulated',
      PAYMENT_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    });
    const refused = configOf('hub-1', trial['hub-1']!);
    expect(refused.ok ? '' : refused.problems.join('\n')).toMatch(/^SMTP_URL is not set: [\s\S]*^PAYMENT_PROVIDER=simulated: .*ALLOW_SIMULATED_PAYMENTS=true/m);
    const allowed = render({
      JWT_PRIVATE_KEYS: keys,
      ...secretsOnly,
      PAYMENT_PROVIDER: 'simulated',
      PAYMENT_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
      ALLOW_SIMULATED_PAYMENTS: 'true',
      ALLOW_LOCAL_MAILBOX: 'true',
    });
    for (const [name, service] of Object.entries(allowed).filter(([, s]) => s.build !== undefined)) {
      const loaded = configOf(name, service);
      expect(loaded.ok, loaded.ok ? name : formatConfigProblems(loaded.problems)).toBe(true);
    }
  });

  it('can never serve the local mailbox (it would let anyone read sign-in codes)', () => {
    for (const [name, service] of appServices()) {
      expect(service.environment.DEV_MAILBOX, name).toBeUndefined();
      const loaded = configOf(name, { ...service, environment: { ...service.environment, DEV_MAILBOX: 'true' } });
      expect(loaded.ok, name).toBe(false);
      if (!loaded.ok) expect(loaded.problems.join('\n'), name).toMatch(/^DEV_MAILBOX=true: /m);
    }
  });

  it('starts nothing before what it needs is healthy, and the hub health check is /readyz', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on)) {
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
        expect(services[dependency]?.healthcheck, `${dependency} needs a healthcheck`).toBeDefined();
      }
    }
    for (const hub of ['hub-1', 'hub-2']) {
      expect(services[hub]?.healthcheck?.test.join(' ')).toContain(`:${services[hub]?.environment.PORT}/readyz`);
    }
    expect(services.worker?.healthcheck?.test.join(' ')).toContain(`:${services.worker?.environment.WORKER_PORT}/readyz`);
    expect(Object.keys(services.lb?.depends_on ?? {}).sort()).toEqual(['hub-1', 'hub-2']);
  });

  it('mounts only files that exist, and the load balancer finds the hubs by their shared alias', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('/')) expect(existsSync(source), `${name} mounts ${source}`).toBe(true);
      }
    }
    const haproxy = readFileSync(join(ROOT, 'deploy/haproxy.cfg'), 'utf8');
    const target = /server-template\s+\S+\s+\d+\s+(\S+):(\d+)\s/.exec(haproxy);
    expect(target, 'haproxy.cfg needs a server-template line').not.toBeNull();
    for (const hub of ['hub-1', 'hub-2']) {
      expect(services[hub]?.networks.default?.aliases, hub).toContain(target![1]);
      expect(services[hub]?.environment.PORT).toBe(target![2]);
    }
    expect(haproxy).toMatch(/http-check send meth GET uri \/readyz/);
  });
});
