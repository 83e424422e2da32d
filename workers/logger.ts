/**
 * Structured one-line logs: `time level message {fields}` on stderr, JSON when LOG_FORMAT=json.
 * Passed as a dependency; nothing logs through a global.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Creates a logger writing lines at or above `level` to `write` (stderr by default). */
export function createLogger(options: {
  level?: LogLevel;
  json?: boolean;
  base?: LogFields;
  write?: (line: string) => void;
} = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const base = options.base ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const all = { ...base, ...fields };
    if (options.json) {
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...all }));
    } else {
      const extra = Object.keys(all).length > 0 ? ' ' + JSON.stringify(all) : '';
      write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${extra}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (for benches that print their own report). */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });
