import { describe, expect, it } from 'vitest';
import { jsonAnswer } from './http/routes.js';
import { listenHub } from './listen.js';

const options = (engine: 'uws' | 'ws') => ({ engine, host: '127.0.0.1', port: 0, io: {}, http: () => Promise.resolve(jsonAnswer(200, { ok: true })) });

describe('listenHub', () => {
  it('refuses a second hub beside a uWS hub in one process, and allows it once that one closed', async () => {
    const first = await listenHub(options('uws'));
    await expect(listenHub(options('ws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await expect(listenHub(options('uws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await first.close();
    const ws1 = await listenHub(options('ws'));
    const ws2 = await listenHub(options('ws'));
    await expect(listenHub(options('uws'))).rejects.toMatchObject({ code: 'engine.unavailable' });
    await ws1.close();
    await ws2.close();
    const again = await listenHub(options('uws'));
    expect(again.port).toBeGreaterThan(0);
    await again.close();
  });

  it('names PORT when the port is taken', async () => {
    const first = await listenHub(options('ws'));
    await expect(listenHub({ ...options('ws'), port: first.port })).rejects.toThrow(/set PORT to a free port/);
    await first.close();
  });
});
