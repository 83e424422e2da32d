/**
 * The gate's camera as a QR reader: the browser's BarcodeDetector where it has one (Android,
 * ChromeOS, macOS), jsQR in a worker elsewhere. One frame is decoded at a time, so a slow tablet
 * reads fewer frames instead of falling behind.
 *
 * A code held in view is read once: the same text is reported again only after it has been out
 * of view for REAPPEAR_MS (a visitor who steps back and shows it again is a new scan).
 */

/** A code must be gone this long before the same code counts as shown again. */
const REAPPEAR_MS = 1_200;
/** Pause between decodes, so the page stays responsive. */
const FRAME_GAP_MS = 80;
/** Frames are scaled down to at most this width before decoding. */
const DECODE_WIDTH = 800;

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
interface DetectorClass {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

/** A running camera reader. */
export interface CameraReader {
  stop(): void;
}

async function nativeDetector(): Promise<Detector | null> {
  const Barcode = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (Barcode === undefined) return null;
  try {
    return (await Barcode.getSupportedFormats()).includes('qr_code') ? new Barcode({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** A decoder that uses jsQR in a worker. */
function workerDecoder(): { decode(frame: ImageData): Promise<string | null>; close(): void } {
  const worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module' });
  return {
    decode(frame) {
      return new Promise((resolve) => {
        worker.onmessage = (event: MessageEvent<string | null>) => resolve(event.data);
        worker.onerror = () => resolve(null);
        worker.postMessage({ data: frame.data, width: frame.width, height: frame.height }, [frame.data.buffer]);
      });
    },
    close: () => worker.terminate(),
  };
}

/** Starts the camera into `video` and reports each code shown. Throws when the camera cannot start. */
export async function startCameraReader(video: HTMLVideoElement, onCode: (text: string) => void): Promise<CameraReader> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } } });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const native = await nativeDetector();
  const fallback = native ? null : workerDecoder();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let lastText: string | null = null;
  let lastSeenAt = 0;

  async function readFrame(): Promise<string | null> {
    if (video.readyState < video.HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
    if (native) {
      const found = await native.detect(video).catch(() => []);
      return found[0]?.rawValue ?? null;
    }
    if (!context || !fallback) return null;
    const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return fallback.decode(context.getImageData(0, 0, canvas.width, canvas.height));
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      const text = await readFrame();
      const now = Date.now();
      if (text !== null && !stopped) {
        const again = text === lastText && now - lastSeenAt < REAPPEAR_MS;
        lastText = text;
        lastSeenAt = now;
        if (!again) onCode(text);
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_GAP_MS));
    }
  }
  void loop();

  return {
    stop() {
      stopped = true;
      fallback?.close();
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
