import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadUwsOrRefuse, nativeUwsAvailable } from './engine.js';

const run = promisify(execFile);
const engineModule = fileURLToPath(new URL('./engine.ts', import.meta.url));

/** Runs loadUwsOrRefuse in a fresh Node process (so the package's own env check runs) and returns its result. */
async function inChild(env: Record<string, string>, runtimeJson: string): Promise<{ ok: boolean; code?: string; message?: string }> {
  const code = `const { loadUwsOrRefuse } = await import(${JSON.stringify(engineModule)});
const r = loadUwsOrRefuse(${runtimeJson});
process.stdout.write('RESULT' + JSON.stringify(r.ok ? { ok: true, hasApp: typeof r.uws.App === 'function' } : r));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  const marker = stdout.lastIndexOf('RESULT');
  return JSON.parse(stdout.slice(marker + 'RESULT'.length)) as { ok: boolean; code?: string; message?: string };
}

describe('loadUwsOrRefuse', () => {
  it.skipIf(!nativeUwsAvailable())('loads the native binary on this runtime (Node 20, linux x64), not the fallback', () => {
    const result = loadUwsOrRefuse({ env: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(typeof result.uws.App).toBe('function');
    const fallback: unknown = createRequire(import.meta.url)('uWebSockets.js/dist/index');
    expect(result.uws).not.toBe(fallback);
  });

  it('refuses a Node version with no shipped binary and names SOCKET_ENGINE=ws', () => {
    const result = loadUwsOrRefuse({ env: {}, modules: '127', nodeVersion: '22.3.0', platform: 'linux', arch: 'x64' });
    expect(result).toEqual({
      ok: false,
      code: 'engine.unavailable',
      message:
        'SOCKET_ENGINE=uws needs the native uWebSockets.js binary, which is not available for Node 22.3.0 on linux-x64 ' +
        "(shipped for Node 16/18/20). Start with SOCKET_ENGINE=ws to use socket.io's own ws engine.",
    });
  });

  it('refuses a platform with no binary at all', () => {
    const result = loadUwsOrRefuse({ env: {}, platform: 'freebsd', arch: 'x64' });
    expect(result).toMatchObject({ ok: false, code: 'engine.unavailable' });
    if (result.ok) return;
    expect(result.message).toContain('freebsd-x64');
    expect(result.message).toContain('SOCKET_ENGINE=ws');
  });

  it('refuses when UWS_USE_FALLBACK forces the fallback', () => {
    for (const flag of ['1', 'true', 'TRUE']) {
      const result = loadUwsOrRefuse({ env: { UWS_USE_FALLBACK: flag } });
      expect(result).toMatchObject({ ok: false, code: 'engine.unavailable' });
      if (result.ok) return;
      expect(result.message).toContain(`UWS_USE_FALLBACK=${flag}`);
      expect(result.message).toContain('SOCKET_ENGINE=ws');
    }
  });

  it('refuses in a real process started with UWS_USE_FALLBACK=1', async () => {
    const result = await inChild({ UWS_USE_FALLBACK: '1' }, '');
    expect(result).toMatchObject({ ok: false, code: 'engine.unavailable' });
    expect(result.message).toContain('SOCKET_ENGINE=ws');
  });

  it.skipIf(!nativeUwsAvailable())('notices the fallback by module identity even when the flag is hidden from the check', async () => {
    const result = await inChild({ UWS_USE_FALLBACK: '1' }, '{ env: {} }');
    expect(result).toMatchObject({ ok: false, code: 'engine.unavailable' });
    expect(result.message).toContain('loaded its JavaScript fallback');
  });

  it.skipIf(!nativeUwsAvailable())('loads natively in a real process without the flag', async () => {
    const env = { UWS_USE_FALLBACK: '' };
    expect(await inChild(env, '')).toEqual({ ok: true, hasApp: true });
  });
});
