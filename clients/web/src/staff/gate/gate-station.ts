/**
 * The gate page's station: one paired gate device that judges scans online through the hub and,
 * without a connection, from the offline bundle kept on this device (clients/devices/offline-gate.ts,
 * the same library the gate simulator runs), then uploads what it judged when the hub is back.
 *
 *   scan ─▶ online?  ── gate:scan {nonce} ──▶ verdict (and the local list learns it)
 *             │          no answer in time ─┐ (same nonce: the hub settles it once, whichever arrives)
 *             └─ offline ◀──────────────────┘ ─▶ bundle verdict, passage queued, kept in localStorage
 *   back online ─▶ gate:sync (queue) ─▶ fresh gate:offline_bundle
 *
 * "Online" needs both the browser's network (navigator.onLine) and a connected socket: a tablet
 * whose Wi-Fi drops says so at once, before the socket notices.
 */
import { signal } from '@preact/signals';
import type { HubClient } from '../../../../sdk/index.js';
import { createOfflineGate, offlineNonce } from '../../../../devices/offline-gate.js';
import type { OfflineGate, OfflinePresentation, OfflineVerdict, SyncReport } from '../../../../devices/offline-gate.js';
import type { OfflineBundle, OfflineScan, ScanVerdict } from '../../../../../machines/contract/wire.js';
import type { ErrorCode } from '../../../../../machines/errors.js';
import { connectDevice } from '../device.js';

/** What the gate shows for one scan. */
export type ShownVerdict = (ScanVerdict | OfflineVerdict) & { offline: boolean; seq: number; direction: 'entry' | 'exit' };

export type GateLink = 'connecting' | 'online' | 'offline';

interface KeptState {
  bundle: OfflineBundle;
  queue: OfflineScan[];
}

const KEPT = 'vh.gate.offline';
/** How long an online scan may wait for the hub before the gate judges it itself. */
const SCAN_TIMEOUT_MS = 4_000;
/** How often a connected gate refreshes its offline list. */
const BUNDLE_EVERY_MS = 10 * 60_000;
const BAND = /^[A-Za-z0-9:-]{4,64}$/;

/** A scanned or typed text as a presentation: a ticket token (a JWS has dots) or a band UID. */
export function presentationOf(text: string): OfflinePresentation | null {
  const value = text.trim();
  if (value.split('.').length === 3 && value.length <= 2048) return { token: value };
  if (BAND.test(value)) return { band: value };
  return null;
}

/** One paired gate on this page. */
export interface GateStation {
  readonly link: typeof link;
  readonly last: typeof last;
  readonly listInfo: typeof listInfo;
  readonly pending: typeof pending;
  readonly synced: typeof synced;
  scan(text: string, direction: 'entry' | 'exit'): Promise<ShownVerdict>;
  close(): void;
}

const link = signal<GateLink>('connecting');
const last = signal<ShownVerdict | null>(null);
const listInfo = signal<{ tickets: number; issuedAt: number } | null>(null);
const pending = signal(0);
const synced = signal<SyncReport | null>(null);
/** Numbers the verdicts shown on this page, across pairings, so a screen can tell a new verdict from an old one. */
let seq = 0;

function keptState(): KeptState | null {
  try {
    const text = localStorage.getItem(KEPT);
    return text === null ? null : (JSON.parse(text) as KeptState);
  } catch {
    return null;
  }
}

/** Drops what an unpaired gate kept. */
export function forgetGateState(): void {
  localStorage.removeItem(KEPT);
}

/** Starts the station for a paired device token; `onDead` hears a refused token (unpair). */
export function startGateStation(token: string, onDead: (code: string, message: string) => void): GateStation {
  let offlineGate: OfflineGate | null = null;
  let hub: HubClient | null = null;
  let syncing: Promise<void> | null = null;

  const restored = keptState();
  if (restored) {
    try {
      offlineGate = createOfflineGate(restored.bundle, { queue: restored.queue });
    } catch {
      forgetGateState();
    }
  }

  function save(): void {
    if (!offlineGate) return;
    const snapshot = offlineGate.snapshot();
    try {
      localStorage.setItem(KEPT, JSON.stringify(snapshot));
    } catch {
      // A full storage keeps the list in memory only.
    }
    listInfo.value = { tickets: snapshot.bundle.tickets.length, issuedAt: snapshot.bundle.issuedAt };
    pending.value = snapshot.queue.length;
  }
  save();

  /** Uploads the queue, then downloads a fresh list (which starts from the hub's entry states). */
  function syncAndRefresh(): Promise<void> {
    syncing ??= (async () => {
      const client = hub;
      if (!client) return;
      if (offlineGate && offlineGate.pending().length > 0) {
        const report = await offlineGate.sync((upload, timeoutMs) => client.call('gate:sync', upload, { timeoutMs }));
        synced.value = report;
        save();
        if (report.stopped) return;
      }
      const bundle = await client.call('gate:offline_bundle', {});
      if (!bundle.ok) return;
      const queue = offlineGate?.pending() ?? [];
      offlineGate = createOfflineGate(bundle.data, { queue });
      save();
    })().finally(() => (syncing = null));
    return syncing;
  }

  function updateLink(): void {
    link.value = !navigator.onLine ? 'offline' : hub?.connected ? 'online' : hub ? 'connecting' : 'offline';
  }

  function open(): void {
    if (hub) return;
    const client = connectDevice(token);
    hub = client;
    client.onStatus((status) => {
      updateLink();
      if (status === 'connected') void syncAndRefresh();
    });
    void client.ended.then((end) => {
      if (hub !== client) return;
      hub = null;
      updateLink();
      if (end.code.startsWith('auth.')) onDead(end.code, end.message);
    });
    client.ready.catch(() => {});
    updateLink();
  }

  /** The browser lost its network: stop using the socket (it may linger) and judge locally. */
  function goOffline(): void {
    const client = hub;
    hub = null;
    client?.close();
    updateLink();
  }
  const onOffline = () => goOffline();
  const onOnline = () => open();
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  if (navigator.onLine) open();
  else updateLink();
  const bundleTimer = setInterval(() => {
    if (link.value === 'online') void syncAndRefresh();
  }, BUNDLE_EVERY_MS);

  function show(verdict: ScanVerdict | OfflineVerdict, offline: boolean, direction: 'entry' | 'exit'): ShownVerdict {
    const shown = { ...verdict, offline, direction, seq: ++seq } as ShownVerdict;
    last.value = shown;
    return shown;
  }

  async function judgeOffline(presented: OfflinePresentation, direction: 'entry' | 'exit', nonce: string, at: number): Promise<ShownVerdict> {
    if (!offlineGate) return show({ verdict: 'refused', code: 'internal', message: 'offline.noList' }, true, direction);
    const verdict = await offlineGate.scan(presented, direction, { nonce, at });
    save();
    return show(verdict, true, direction);
  }

  return {
    link,
    last,
    listInfo,
    pending,
    synced,
    async scan(text, direction) {
      const presented = presentationOf(text);
      if (presented === null) return show({ verdict: 'refused', code: 'input.invalid', message: 'input' }, link.value !== 'online', direction);
      const nonce = offlineNonce();
      const at = Date.now();
      const client = hub;
      if (link.value === 'online' && client) {
        const answer = await client.call('gate:scan', { ...presented, nonce, direction, at }, { timeoutMs: SCAN_TIMEOUT_MS });
        if (answer.ok) {
          offlineGate?.learn(answer.data);
          save();
          return show(answer.data, false, direction);
        }
        // No answer: the hub may or may not have judged it; the same nonce makes the upload agree.
        if (!answer.code.startsWith('client.')) return show({ verdict: 'refused', code: answer.code as ErrorCode, message: answer.message }, false, direction);
      }
      return judgeOffline(presented, direction, nonce, at);
    },
    close() {
      clearInterval(bundleTimer);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      const client = hub;
      hub = null;
      client?.close();
    },
  };
}
