/**
 * A ticket's QR code drawn as crisp squares: each module is a whole number of CSS pixels, so a
 * phone screen at 1x shows sharp edges a gate camera reads, with the 4-module quiet zone around it.
 * Low error correction keeps the code small; a screen is not a crumpled paper ticket.
 */
import QRCode from 'qrcode';

const QUIET = 4;

/** The QR of `text`, `modulePx` CSS pixels per module. */
export function QrCode(props: { text: string; modulePx?: number; label: string }) {
  const code = QRCode.create(props.text, { errorCorrectionLevel: 'L' });
  const size = code.modules.size;
  const full = size + QUIET * 2;
  const px = props.modulePx ?? 4;
  let path = '';
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (code.modules.get(row, col)) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
    }
  }
  return (
    <svg class="qr" role="img" aria-label={props.label} width={full * px} height={full * px} viewBox={`0 0 ${full} ${full}`} shape-rendering="crispEdges" data-modules={size}>
      <rect width={full} height={full} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
