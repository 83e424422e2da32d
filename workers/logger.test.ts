import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from './logger.js';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({ ...options, write: (line) => lines.push(line) });
  return { log, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl';

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, message, base and child fields (LOG_FORMAT=json)', () => {
    const { log, json } = capture({ json: true, level: 'info', base: { node: 'hub-1' } });
    log.debug('not at info');
    log.child({ part: 'api' }).warn('slow store', { ms: 120 });
    const [line] = json();
    expect(json()).toHaveLength(1);
    expect(line).toMatchObject({ level: 'warn', node: 'hub-1', part: 'api', msg: 'slow store', ms: 120 });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('keeps the text format: time level message {fields}', () => {
    const { log, lines } = capture({ base: { node: 'hub-1' } });
    log.info('Venue Hub listening on http://localhost:8080', { engine: 'uws' });
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info {2}Venue Hub listening on http:\/\/localhost:8080 \{"node":"hub-1","engine":"uws"\}$/);
  });

  it('redacts secrets by key, sign-in codes, credentials inside text, in both formats', () => {
    for (const json of [true, false]) {
      const { log, lines } = capture({ json, redact: ['MOYASAR_SECRET_KEY'] });
      log.child({ accessToken: JWT }).warn(`refused Bearer abc.def for redis://:hunter2@cache:6379 with ${JWT}`, {
        token: 'device-token-1',
        password: 'pw-2',
        MOYASAR_SECRET_KEY: 'sk_live_3',
        code: '482913',
        nested: { refreshToken: 'refresh-4', d: 'private-5', code: 'auth.expired' },
        error: `connect failed: mongodb://ops:leak-6@db:27017 ${JWT}`,
      });
      const text = lines.join('\n');
      for (const leak of ['device-token-1', 'pw-2', 'sk_live_3', '482913', 'refresh-4', 'private-5', 'leak-6', 'hunter2', JWT, 'abc.def']) expect(text, `${leak} (json ${json})`).not.toContain(leak);
      expect(text).toContain(REDACTED);
      expect(text).toContain('auth.expired'); // error codes are what an operator searches for
      expect(text).toContain('redis://:***@cache:6379');
    }
  });

  it('keeps error codes and numbers under "code"', () => {
    const { log, json } = capture({ json: true });
    log.error('refused', { code: 'slot.sold_out' });
    log.warn('socket closed', { code: 1009 });
    expect(json().map((l) => l.code)).toEqual(['slot.sold_out', 1009]);
  });
});
