/**
 * The life of one logical hub connection over a sequence of socket.io sockets.
 *
 *   connect(url[i]) ──connect──▶ connected ──transport lost──────────────┐
 *        ▲   │                       │  ──session:reconnect{retryAfterMs}─┤ wait, then
 *        │   └─connect_error─────────┼──────────────────────────────────▶├ url[i+1] (round-robin)
 *        │      no code: backoff     │                                   │
 *        └───────────────────────────┴───────────────────────────────────┘
 *            coded refusal (auth.*) / session:ended / close() ──▶ ended (final), except auth.expired
 *            with a token function: reconnect with a fresh token
 *
 * socket.io-client's own reconnection is off: it would retry the same URL forever, while a
 * drained or dead node should send its clients to the next one. Each attempt is a fresh
 * socket (`forceNew`), so the hub sees a new handshake with the current token every time.
 */
import { io } from 'socket.io-client';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SessionReconnect } from '../../machines/contract/wire.js';
import { HubError, isServerErrorCode } from './codes.js';

/** A typed socket to the hub. */
export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Where log lines go; structurally compatible with the workers' logger. */
export interface HubClientLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** A fixed token, or a function asked before every handshake (for short-lived tokens). */
export type TokenSource = string | (() => string | Promise<string>);

/** Connection status as reported to `onStatus` listeners. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'ended';

/** Why the session ended: a server code, a client code, or a code from `session:ended`. */
export interface SessionEnd {
  code: string;
  message: string;
}

/** Options of one logical connection. */
export interface ConnectionOptions {
  urls: readonly string[];
  token: TokenSource;
  transports: ('websocket' | 'polling' | 'webtransport')[];
  /** Give up (reject `ready`) when the first connection has not succeeded by then. */
  connectTimeoutMs: number;
  /** Reconnect backoff: full jitter between 0 and min(max, min · 2^failures). */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Extra random delay added to a server-requested `retryAfterMs`, so drained clients spread out. */
  drainJitterMs: number;
  log: HubClientLog;
  /** Passed through to socket.io-client (e.g. `path`, `extraHeaders` in Node). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** Hooks the client layer installs on every new socket. */
export interface ConnectionHooks {
  /** A socket was created: attach event listeners. */
  attach(socket: HubSocket): void;
  /** The socket connected; `again` is false only for the very first connection. */
  connected(socket: HubSocket, again: boolean): void;
}

/** One logical connection that survives drains, node deaths and Redis hiccups. */
export interface Connection {
  readonly ready: Promise<void>;
  readonly ended: Promise<SessionEnd>;
  /** The connected socket, or undefined between sockets. */
  socket(): HubSocket | undefined;
  /** The URL of the current (or last attempted) socket. */
  url(): string;
  /**
   * Resolves with a connected socket (other than `except`), or undefined if none comes before
   * `deadline` (epoch ms) or the end.
   */
  whenConnected(deadline: number, except?: HubSocket): Promise<HubSocket | undefined>;
  isEnded(): boolean;
  onStatus(listener: (status: ConnectionStatus, url: string) => void): () => void;
  close(): void;
}

/** Starts connecting immediately; see the header for the state machine. */
export function openConnection(options: ConnectionOptions, hooks: ConnectionHooks): Connection {
  const { urls, log } = options;
  if (urls.length === 0) throw new TypeError('connectHub needs at least one URL');
  let index = 0;
  let failures = 0;
  let everConnected = false;
  let current: HubSocket | undefined;
  let connectedSocket: HubSocket | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let endInfo: SessionEnd | undefined;
  const waiters = new Set<(socket: HubSocket | undefined) => void>();
  const statusListeners = new Set<(status: ConnectionStatus, url: string) => void>();

  let resolveReady!: () => void;
  let rejectReady!: (error: HubError) => void;
  const ready = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  ready.catch(() => {}); // callers may never await `ready`; the rejection is still theirs to see
  let resolveEnded!: (info: SessionEnd) => void;
  const ended = new Promise<SessionEnd>((resolve) => (resolveEnded = resolve));

  const status = (value: ConnectionStatus) => {
    for (const listener of statusListeners) listener(value, urls[index] ?? '');
  };
  const firstTimeout = setTimeout(() => {
    if (!everConnected) end('client.unreachable', `no hub at ${urls.join(', ')} accepted a connection within ${options.connectTimeoutMs} ms`);
  }, options.connectTimeoutMs);

  function end(code: string, message: string): void {
    if (endInfo) return;
    endInfo = { code, message };
    clearTimeout(firstTimeout);
    clearTimeout(retryTimer);
    dropSocket();
    if (!everConnected) rejectReady(new HubError(code, message));
    for (const wake of waiters) wake(undefined);
    waiters.clear();
    log.info('hub session ended', { code, message });
    status('ended');
    resolveEnded(endInfo);
  }

  function dropSocket(): void {
    const socket = current;
    current = undefined;
    connectedSocket = undefined;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect(); // pending acks fail with "socket has been disconnected"
    }
  }

  function scheduleRetry(delayMs: number, why: string): void {
    if (endInfo) return;
    dropSocket();
    index = (index + 1) % urls.length;
    clearTimeout(retryTimer);
    log.debug('hub reconnect scheduled', { why, delayMs: Math.round(delayMs), url: urls[index] });
    status('reconnecting');
    retryTimer = setTimeout(() => void attempt(), delayMs);
  }

  function backoff(): number {
    const cap = Math.min(options.backoffMaxMs, options.backoffMinMs * 2 ** Math.min(failures, 16));
    failures++;
    return Math.random() * cap;
  }

  async function attempt(): Promise<void> {
    if (endInfo) return;
    const url = urls[index] ?? urls[0] ?? '';
    status('connecting');
    let token: string;
    try {
      token = typeof options.token === 'string' ? options.token : await options.token();
    } catch (error) {
      return end('auth.missing', `the token source failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (endInfo) return;
    const socket: HubSocket = io(url, {
      ...options.socketOptions,
      transports: options.transports,
      auth: { token },
      reconnection: false,
      forceNew: true,
      timeout: Math.min(options.connectTimeoutMs, 10_000),
    });
    current = socket;
    hooks.attach(socket);
    socket.on('connect', () => {
      const again = everConnected;
      everConnected = true;
      failures = 0;
      connectedSocket = socket;
      clearTimeout(firstTimeout);
      log.debug('hub connected', { url, again });
      status('connected');
      for (const wake of waiters) wake(socket);
      waiters.clear();
      if (!again) resolveReady();
      hooks.connected(socket, again);
    });
    socket.on('connect_error', (error) => {
      const data: unknown = 'data' in error ? error.data : undefined;
      const code = typeof data === 'object' && data !== null && 'code' in data ? data.code : undefined;
      if (isServerErrorCode(code)) {
        const message = typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string' ? data.message : error.message;
        // An expired token can be fixed by asking the token source again; other refusals are final.
        if (code === 'auth.expired' && typeof options.token === 'function') return scheduleRetry(backoff(), code);
        return end(code, message);
      }
      scheduleRetry(backoff(), error.message);
    });
    socket.on('disconnect', (reason) => {
      if (socket !== current || endInfo) return;
      log.debug('hub disconnected', { url, reason });
      scheduleRetry(backoff(), reason);
    });
    socket.on('session:reconnect', (info: SessionReconnect) => {
      log.info('hub asked to reconnect elsewhere', { url, reason: info.reason, retryAfterMs: info.retryAfterMs });
      failures = 0;
      scheduleRetry(info.retryAfterMs + Math.random() * options.drainJitterMs, info.reason);
    });
    socket.on('session:ended', (info) => {
      // At token expiry the hub ends the session; a token source can give a fresh one.
      if (info.code === 'auth.expired' && typeof options.token === 'function') return scheduleRetry(0, info.code);
      end(info.code, info.message);
    });
  }

  void attempt();

  return {
    ready,
    ended,
    socket: () => connectedSocket,
    url: () => urls[index] ?? '',
    whenConnected(deadline, except) {
      if (connectedSocket?.connected && connectedSocket !== except) return Promise.resolve(connectedSocket);
      if (endInfo) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(undefined);
        }, Math.max(0, deadline - Date.now()));
        const wake = (socket: HubSocket | undefined) => {
          clearTimeout(timer);
          resolve(socket);
        };
        waiters.add(wake);
      });
    },
    isEnded: () => endInfo !== undefined,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close: () => end('client.closed', 'the client was closed'),
  };
}
