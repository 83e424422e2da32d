/**
 * What the device command lines share: tokenising `--flag value` arguments with node:util's
 * parseArgs, then checking them with a zod schema, and telling whether a module is the script node
 * was started with.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** Parsed and checked arguments, or the message that says what is wrong. */
export type CliArgs<T> = { ok: true; values: T; positionals: string[] } | { ok: false; message: string };

/** Tokenises `argv` by `options` (unknown flags are an error), then checks the values with `schema`. */
export function parseCli<S extends z.ZodType>(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>, schema: S): CliArgs<z.output<S>> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const checked = schema.safeParse(parsed.values);
  if (!checked.success) {
    const message = checked.error.issues.map((issue) => `${issue.path.length > 0 ? `--${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ');
    return { ok: false, message };
  }
  return { ok: true, values: checked.data, positionals: parsed.positionals };
}

/** True when the module at `moduleUrl` is the script node runs (not imported by another). */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/** A short random id for names a run creates (bookings, devices, bands): lower-case letters and digits. */
export function runId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;
}
