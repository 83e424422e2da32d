/**
 * The verdict's sound, made with Web Audio (no files to load or cache): two short high tones for
 * yes, one low buzz for no. Browsers start audio only after a first tap on the page; until then
 * the screen alone tells.
 */
let audio: AudioContext | null = null;

function tone(context: AudioContext, frequency: number, startAt: number, seconds: number, type: OscillatorType): void {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = type;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.25, startAt);
  gain.gain.exponentialRampToValueAtTime(0.001, startAt + seconds);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(startAt);
  oscillator.stop(startAt + seconds);
}

/** Plays the sound of a good (`yes`) or bad verdict. */
export function beep(yes: boolean): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const now = audio.currentTime;
    if (yes) {
      tone(audio, 1320, now, 0.12, 'sine');
      tone(audio, 1760, now + 0.15, 0.15, 'sine');
    } else {
      tone(audio, 196, now, 0.5, 'square');
    }
  } catch {
    // No audio on this device.
  }
}
