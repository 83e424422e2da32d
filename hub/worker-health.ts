/**
 * The worker's own HTTP port (WORKER_PORT): the same /healthz, /readyz and /metrics a hub node
 * serves, so one set of probes and one Prometheus job cover every process.
 *
 *   GET /healthz   200 while the process runs
 *   GET /readyz    200 when the store answers and the worker is not stopping, else 503
 *   GET /metrics   process and runtime metrics (outbox lag, timer lag, payments by outcome)
 */
import { createServer } from 'node:http';
import { refuse } from '../machines/errors.js';
import type { Result } from '../machines/errors.js';
import { nodeRequestListener } from './http/adapters.js';
import { createHttpRoutes } from './http/routes.js';
import { cannotListen } from './listen.js';
import type { RuntimeMetrics } from './metrics.js';

/** What the worker's probes read. */
export interface WorkerHealthDeps {
  host: string;
  port: number;
  /** Resolves when the store answers. */
  probeStore: () => Promise<unknown>;
  metrics: Pick<RuntimeMetrics, 'render'>;
}

/** The listening health port. */
export interface WorkerHealth {
  readonly port: number;
  /** /readyz answers 503 from now on (the worker is stopping). */
  markStopping(): void;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2_000;

/** Listens on `host:port` (0 picks a free port); rejects with a message naming the port when taken. */
export function startWorkerHealth(deps: WorkerHealthDeps): Promise<WorkerHealth> {
  let stopping = false;
  const ready = async (): Promise<Result<true>> => {
    if (stopping) return refuse('hub.draining', 'this worker is stopping');
    const timeout = new Promise<Result<true>>((resolve) => setTimeout(() => resolve(refuse('store.unavailable', 'the store did not answer in time')), PROBE_TIMEOUT_MS).unref());
    const probe = deps.probeStore().then(() => ({ ok: true as const, data: true as const }));
    return Promise.race([probe, timeout]).catch((error: unknown) => refuse('store.unavailable', `the store is unreachable: ${String(error)}`));
  };
  const server = createServer(nodeRequestListener(createHttpRoutes({ ready, metricsText: () => deps.metrics.render() })));
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(cannotListen(deps, error.code)));
    server.listen(deps.port, deps.host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : deps.port,
        markStopping: () => void (stopping = true),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
