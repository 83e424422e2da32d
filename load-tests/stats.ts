/**
 * Latency recording and reporting shared by every bench: percentiles over all samples
 * (no sampling, no averaging of percentiles), throughput, and the closing JSON line.
 */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Collects latencies in milliseconds. */
export class Latencies {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0);
    return { count: sorted.length, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: round(sorted.at(-1) ?? 0) };
  }
}

/** Rounds to 3 decimals (microsecond resolution in ms). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs `count` tasks with at most `concurrency` in flight; returns elapsed ms. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - started;
}

/** Prints a human line per scenario on stderr, so stdout can end with the one JSON line. */
export function report(label: string, fields: Record<string, unknown>): void {
  const text = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? round(v, 2) : String(v)}`)
    .join('  ');
  process.stderr.write(`${label.padEnd(28)} ${text}\n`);
}

/** Prints progress for long runs on stderr. */
export function progress(message: string): void {
  process.stderr.write(`… ${message}\n`);
}
