/**
 * Decodes QR codes off the page's thread (jsQR), for browsers without BarcodeDetector (desktop
 * Linux Chromium, Firefox): the page posts one RGBA frame, the worker answers the
 * text found, or null.
 */
import jsQRModule from 'jsqr';

// jsqr ships CommonJS with `export default` typings: the bundler hands over the function itself.
const jsQR: typeof jsQRModule.default = typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default;

interface Frame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Frame>) => void) | null; postMessage(message: string | null): void };

scope.onmessage = (event) => {
  const { data, width, height } = event.data;
  const code = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
  scope.postMessage(code === null || code.data === '' ? null : code.data);
};
