/**
 * Reads /metrics answers the way Prometheus would: through a text-format parser that throws on
 * any line that is not valid exposition text, then by family name and labels. (The parser keeps
 * no labels on histogram samples, so histogram counts are read from the `_count` lines.)
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One metric family as parsed. */
export type MetricFamily = ReturnType<typeof parsePrometheusTextFormat>[number];

/** A parsed scrape: families by name, and the text they came from. */
export interface Scrape {
  families: Map<string, MetricFamily>;
  text: string;
}

/** Parses exposition text; throws when it is not valid. */
export function parseMetrics(text: string): Scrape {
  return { families: new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family])), text };
}

/**
 * The value of a counter or gauge sample whose labels include `labels`, or of a histogram's
 * `_count`; undefined when absent.
 */
export function sampleValue(scrape: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  if (scrape.families.get(name)?.type === 'HISTOGRAM') {
    for (const line of scrape.text.split('\n')) {
      const match = new RegExp(`^${name}_count(?:\\{(.*)\\})? (\\S+)$`).exec(line);
      if (match && Object.entries(labels).every(([k, v]) => (match[1] ?? '').split(',').includes(`${k}="${v}"`))) return Number(match[2]);
    }
    return undefined;
  }
  const sample = scrape.families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample?.value === undefined ? undefined : Number(sample.value);
}

/** GET `url`/metrics, checked to be valid exposition text. */
export async function scrape(url: string): Promise<Scrape> {
  const answer = await fetch(`${url}/metrics`);
  if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}`);
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain; version=0.0.4')) throw new Error(`/metrics answered content-type ${type}`);
  return parseMetrics(await answer.text());
}
