/**
 * The building blocks of environment schemas, for the core configuration (hub/config.ts) and for
 * each module's own section (its node part's `settings`). Every field has a default or is
 * optional, and every refusal says how to fix the value: `must be …, e.g. NAME=value`.
 */
import { z } from 'zod';

/** A whole number within bounds, written as decimal digits, with a default. */
export function integer(name: string, min: number, max: number, fallback: number) {
  const hint = `must be an integer ${min}-${max}, e.g. ${name}=${fallback}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error: hint })
    .transform(Number)
    .pipe(z.number().min(min, { error: hint }).max(max, { error: hint }))
    .default(fallback);
}

/** One of a fixed set of words (case-insensitive), with a default. */
export function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T, fallback: T[number]) {
  const hint = `must be one of ${values.join(', ')}, e.g. ${name}=${fallback}`;
  return z.string().trim().toLowerCase().pipe(z.enum(values, { error: hint })).default(fallback);
}

/** A non-empty string without surrounding whitespace, with a default. */
export function text(name: string, fallback: string) {
  return z
    .string()
    .trim()
    .min(1, { error: `must not be blank, e.g. ${name}=${fallback}` })
    .default(fallback);
}

/** Variables whose values are secrets: never printed, masked wherever a message could echo them. */
const secrets = z.registry<{ secret: true }>();

/** Marks a variable's schema as holding a secret. */
export function secret<T extends z.ZodType>(schema: T): T {
  secrets.add(schema, { secret: true });
  return schema;
}

/** `true` or `false` (case-insensitive), with a default. */
export function flag(name: string, fallback: boolean) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false'], { error: `must be true or false, e.g. ${name}=${String(!fallback)}` }))
    .transform((v) => v === 'true')
    .default(fallback);
}

/** Whether a variable's schema was marked as holding a secret. */
export function isSecret(schema: z.ZodType): boolean {
  return secrets.has(schema);
}
