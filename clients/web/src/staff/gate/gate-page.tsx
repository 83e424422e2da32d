/**
 * The gate page (/gate): a tablet or phone at a turnstile, paired with a gate device token. The
 * camera and keyboard-wedge readers feed the station; each verdict fills the screen green or red
 * with a sound, then shrinks to a strip so the camera view is free for the next visitor.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { addOnName, ticketTypeName } from '../../catalog.js';
import { timeOfDay } from '../../format.js';
import { claimsOf, forgetPairing, keepPairing, pairedToken, pairingTokenOf, takePairingFromAddress } from '../device.js';
import type { DeviceClaims } from '../device.js';
import { beep } from '../sound.js';
import { Problem, StaffFrame } from '../staff-app.js';
import { reasonOf, st } from '../staff-messages.js';
import { WedgeField } from '../wedge.js';
import { startCameraReader } from './camera.js';
import type { CameraReader } from './camera.js';
import { forgetGateState, startGateStation } from './gate-station.js';
import type { GateStation, ShownVerdict } from './gate-station.js';

const PAGE = 'gate';
/** A verdict fills the screen this long, then shrinks to a strip. */
const FULL_SCREEN_MS = 3_500;

/** The camera as a component: starts when mounted, reports codes, stops when unmounted. */
function Camera(props: { onCode: (text: string) => void; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState('');
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  useEffect(() => {
    let reader: CameraReader | null = null;
    let cancelled = false;
    if (video.current) {
      startCameraReader(video.current, (text) => onCode.current(text)).then(
        (started) => {
          if (cancelled) started.stop();
          else reader = started;
        },
        (error: unknown) => setProblem(st('gate.cameraFailed', { message: error instanceof Error ? error.message : String(error) })),
      );
    }
    return () => {
      cancelled = true;
      reader?.stop();
    };
  }, []);
  return (
    <div class="camera">
      <video ref={video} aria-label={props.label} muted playsInline />
      <div class="camera-frame" aria-hidden="true" />
      <Problem text={problem} />
    </div>
  );
}

function PairPanel(props: { onPaired: (token: string) => void; problem: string }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const [scanning, setScanning] = useState(false);
  function tryPair(value: string): void {
    const token = pairingTokenOf(value);
    const claims = token === null ? null : claimsOf(token);
    if (token === null || claims === null) return setProblem(st('pair.failed', { message: st('reason.input') }));
    if (claims.deviceKind !== 'gate') return setProblem(st('pair.wrongKind', { kind: claims.deviceKind }));
    props.onPaired(token);
  }
  return (
    <section class="panel pair" aria-labelledby="pair-title">
      <h2 id="pair-title">{st('pair.title')}</h2>
      <p>{st('pair.hint')}</p>
      <Problem text={problem || props.problem} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          tryPair(text);
        }}
      >
        <label for="pair-token">{st('pair.token')}</label>
        <input id="pair-token" type="text" autocomplete="off" spellcheck={false} value={text} onInput={(event) => setText((event.target as HTMLInputElement).value)} />
        <div class="row">
          <button type="submit">{st('pair.submit')}</button>
          <button type="button" class="quiet" aria-pressed={scanning} onClick={() => setScanning(!scanning)}>
            {st('pair.scan')}
          </button>
        </div>
      </form>
      {scanning ? <Camera label={st('pair.scan')} onCode={tryPair} /> : null}
    </section>
  );
}

/** The words of a verdict: heading, detail lines, hand-over list. */
function VerdictBody(props: { verdict: ShownVerdict }) {
  const v = props.verdict;
  switch (v.verdict) {
    case 'admitted': {
      const name = v.visitorName ?? v.holderName;
      const addOns = ('addOns' in v ? v.addOns : undefined) ?? [];
      return (
        <>
          <p class="verdict-title">{st('gate.admitted')}</p>
          {name ? <p class="verdict-name">{name}</p> : null}
          <p>{ticketTypeName(v.ticketTypeId)}</p>
          {'partySize' in v && v.partySize !== undefined ? <p class="verdict-party">{st('gate.party', { count: v.partySize })}</p> : null}
          {v.reentry ? null : <p>{st('gate.singleEntry')}</p>}
          {addOns.length > 0 ? (
            <div class="hand-over">
              <p class="verdict-sub">{st('gate.handOver')}</p>
              <ul>
                {addOns.map((addOn) => (
                  <li key={addOn.addOnId} data-add-on={addOn.addOnId}>
                    {addOnName(addOn.addOnId)} × {addOn.qty}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      );
    }
    case 'exited':
      return <p class="verdict-title">{st('gate.exited')}</p>;
    case 'already_used':
      return (
        <>
          <p class="verdict-title">{st('gate.alreadyUsed')}</p>
          {'gateId' in v ? <p>{st('gate.alreadyUsedAt', { time: timeOfDay(v.at), gate: v.gateId })}</p> : null}
        </>
      );
    case 'refused':
      return (
        <>
          <p class="verdict-title">{st('gate.refused')}</p>
          <p class="verdict-reason" data-code={v.code}>
            {v.message === 'offline.noList' ? st('reason.offline.noList') : v.message === 'input' ? st('reason.input') : reasonOf(v.code, v.message)}
          </p>
          {'unreturned' in v && v.unreturned ? <p>{st('gate.unreturned', { items: v.unreturned.map((item) => item.itemId).join(', ') })}</p> : null}
        </>
      );
  }
}

function Verdict(props: { verdict: ShownVerdict; full: boolean; onDismiss: () => void }) {
  const v = props.verdict;
  const good = v.verdict === 'admitted' || v.verdict === 'exited';
  return (
    <section
      class={`verdict ${good ? 'good' : 'bad'} ${props.full ? 'full' : 'strip'}`}
      role="alert"
      data-verdict={v.verdict}
      data-offline={String(v.offline)}
      data-seq={v.seq}
      data-direction={v.direction}
      onClick={props.onDismiss}
    >
      <div class="verdict-body">
        <VerdictBody verdict={v} />
        {v.offline ? <p class="verdict-tag">{st('gate.offlineVerdict')}</p> : null}
      </div>
      {props.full ? (
        <button type="button" class="quiet verdict-dismiss" onClick={props.onDismiss}>
          {st('gate.dismiss')}
        </button>
      ) : null}
    </section>
  );
}

function LinkStatus(props: { station: GateStation }) {
  const link = props.station.link.value;
  return (
    <span class={`pill ${link}`} data-link={link}>
      {link === 'online' ? st('staff.online') : link === 'connecting' ? st('staff.connecting') : st('staff.offline')}
    </span>
  );
}

function PairedGate(props: { station: GateStation; claims: DeviceClaims; onUnpair: () => void }) {
  const { station, claims } = props;
  const [direction, setDirection] = useState<'entry' | 'exit'>('entry');
  const [camera, setCamera] = useState(false);
  const verdict = station.last.value;
  // A verdict covers the screen from its first paint until it is dismissed or its moment is over:
  // what is remembered is the last verdict that gave way, so a new one is never shown as a strip first.
  const [settledSeq, setSettledSeq] = useState(() => verdict?.seq ?? 0);
  const full = verdict !== null && verdict !== undefined && verdict.seq !== settledSeq;
  const settle = (): void => setSettledSeq(verdict?.seq ?? 0);
  const directionRef = useRef(direction);
  directionRef.current = direction;

  async function read(text: string): Promise<void> {
    const shown = await station.scan(text, directionRef.current);
    beep(shown.verdict === 'admitted' || shown.verdict === 'exited');
  }
  // The full-screen verdict gives way to the camera after a moment (or a tap, or Escape).
  useEffect(() => {
    if (!full) return;
    const timer = setTimeout(settle, FULL_SCREEN_MS);
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') settle();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('keydown', onKey);
    };
  }, [full, verdict?.seq]);

  const list = station.listInfo.value;
  const link = station.link.value;
  return (
    <>
      {link !== 'online' ? (
        <p class="offline-banner" role="status" data-offline-banner>
          {st('staff.offlineBanner')}
        </p>
      ) : null}
      <div class="gate-controls">
        <fieldset class="choice segmented">
          <legend>{st('gate.direction')}</legend>
          {(['entry', 'exit'] as const).map((value) => (
            <label key={value} class={`chip ${direction === value ? 'chosen' : ''}`}>
              <input type="radio" name="direction" value={value} checked={direction === value} onChange={() => setDirection(value)} />
              {st(value === 'entry' ? 'gate.entry' : 'gate.exit')}
            </label>
          ))}
        </fieldset>
        <button type="button" class={camera ? 'quiet' : ''} aria-pressed={camera} onClick={() => setCamera(!camera)} data-camera-toggle>
          {camera ? st('gate.cameraOff') : st('gate.cameraOn')}
        </button>
      </div>
      {camera ? <Camera label={st('gate.cameraView')} onCode={(text) => void read(text)} /> : null}
      <WedgeField id="gate-reader" label={st('gate.reader')} hint={st('gate.readerHint')} onRead={(text) => void read(text)} autoFocus />
      <section class="gate-facts" aria-label={st('staff.gate')}>
        <p>{list ? st('gate.offlineList', { count: list.tickets, time: timeOfDay(list.issuedAt) }) : st('gate.noOfflineList')}</p>
        <p data-pending={station.pending.value}>{st('gate.pending', { count: station.pending.value })}</p>
        {station.synced.value ? (
          <p data-synced={station.synced.value.recorded} role="status">
            {st('gate.synced', { recorded: station.synced.value.recorded, double: station.synced.value.doubleEntries })}
          </p>
        ) : null}
        <p>{st('pair.paired', { gate: claims.scope.gateId ?? claims.deviceId, zone: claims.scope.zone ?? st('pair.anyZone') })}</p>
        <button type="button" class="quiet small" onClick={props.onUnpair}>
          {st('pair.unpair')}
        </button>
      </section>
      {verdict ? <Verdict verdict={verdict} full={full} onDismiss={settle} /> : null}
    </>
  );
}

/** The gate page. */
export function GatePage() {
  const [token, setToken] = useState<string | null>(() => {
    const fromLink = takePairingFromAddress();
    if (fromLink !== null && claimsOf(fromLink)?.deviceKind === 'gate') {
      if (fromLink !== pairedToken(PAGE)) forgetGateState();
      keepPairing(PAGE, fromLink);
    }
    return pairedToken(PAGE);
  });
  const [station, setStation] = useState<GateStation | null>(null);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    if (token === null) return;
    const started = startGateStation(token, (code, message) => {
      forgetPairing(PAGE);
      forgetGateState();
      setProblem(st('pair.failed', { message: `${code}: ${message}` }));
      setToken(null);
    });
    setStation(started);
    return () => {
      started.close();
      setStation(null);
    };
  }, [token]);

  const claims = token === null ? null : claimsOf(token);
  return (
    <StaffFrame title={st('staff.gate')} status={station ? <LinkStatus station={station} /> : null}>
      {token === null || claims === null || station === null ? (
        <PairPanel
          problem={problem}
          onPaired={(value) => {
            forgetGateState();
            keepPairing(PAGE, value);
            setProblem('');
            setToken(value);
          }}
        />
      ) : (
        <PairedGate
          station={station}
          claims={claims}
          onUnpair={() => {
            forgetPairing(PAGE);
            forgetGateState();
            setToken(null);
          }}
        />
      )}
    </StaffFrame>
  );
}
