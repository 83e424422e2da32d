/**
 * What the actor runtime reports for operators to graph: how long committed effects waited in the
 * outbox and how late durable timers fired. The hub and worker mains implement it with Prometheus
 * metrics (hub/metrics.ts); tests and benches leave it out.
 */
export interface RuntimeObserver {
  /** An effect was delivered `lagMs` after its commit wrote it. */
  effectDelivered(type: string, lagMs: number): void;
  /** A timer fired `lateMs` after its due time (0 or more). */
  timerFired(lateMs: number): void;
}
