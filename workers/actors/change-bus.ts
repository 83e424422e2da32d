/**
 * In-process bus of committed changes. The node that commits publishes here; the hub
 * forwards notices to socket rooms (and, across nodes, through the Redis adapter).
 * Delivery is at most once by design: subscribers re-read state when they see a gap.
 */
export interface ChangeNotice {
  kind: string;
  id: string;
  version: number;
  /** State value as a dotted string, e.g. `awaiting_payment`. */
  state: string;
  status: string;
  context: unknown;
  /** The tags of the new state (the machine's `*_TAGS`). */
  tags: string[];
  /** Epoch ms of the next deadline, when the actor has one. */
  deadline?: number;
  /** The state before the change (null on creation); never sent to clients. */
  from: string | null;
  eventType: string;
  at: number;
  /** The change's place in the change log (0 when the store numbers it later: MongoDB). */
  cursor: number;
}

export type ChangeListener = (notice: ChangeNotice) => void;

export interface ChangeBus {
  publish(notice: ChangeNotice): void;
  subscribe(listener: ChangeListener): () => void;
}

/** Creates a synchronous fan-out bus; a throwing listener is reported and does not stop the others. */
export function createChangeBus(onListenerError: (error: unknown) => void = () => {}): ChangeBus {
  const listeners = new Set<ChangeListener>();
  return {
    publish(notice) {
      for (const listener of listeners) {
        try {
          listener(notice);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
