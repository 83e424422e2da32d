/**
 * QR images of ticket tokens, encoded by the maintained `qrcode` package with error correction
 * level M (15 % of the symbol may be damaged or covered and it still scans), which keeps a
 * ~350-character token at a size phone screens and gate scanners read easily.
 *
 * The PNG is written here as a 1-bit greyscale image compressed by node's native zlib: a QR is
 * two colours, and the generic RGBA encoder took about 45 ms of the event loop per ticket (a
 * booking of 50 held gate scans on the same node for two seconds); this takes about 1 ms.
 */
import { crc32, deflateSync } from 'node:zlib';
import { create, toString } from 'qrcode';

/** The error correction level of every ticket QR. */
export const TICKET_QR_ERROR_CORRECTION = 'M';

/** The image formats a ticket QR is served in. */
export type TicketQrFormat = 'svg' | 'png';

/** A rendered QR image with its media type. */
export interface TicketQrImage {
  contentType: 'image/svg+xml' | 'image/png';
  body: Buffer;
}

/** Renders a ticket token as a scalable SVG (for screens and print). */
export async function renderTicketQrSvg(token: string): Promise<string> {
  return toString(token, { type: 'svg', errorCorrectionLevel: TICKET_QR_ERROR_CORRECTION, margin: 4 });
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Renders a ticket token as a PNG (for email, where SVG is often blocked); `scale` is pixels per module. */
export async function renderTicketQrPng(token: string, scale = 6): Promise<Buffer> {
  const { modules } = create(token, { errorCorrectionLevel: TICKET_QR_ERROR_CORRECTION });
  const margin = 4;
  const side = (modules.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  // Each row: filter type 0, then 1 bit per pixel, 1 = white (greyscale), most significant bit first.
  const raw = Buffer.alloc((rowBytes + 1) * side, 0);
  for (let y = 0; y < side; y++) {
    const row = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    row.fill(0xff);
    const my = Math.floor(y / scale) - margin;
    if (my < 0 || my >= modules.size) continue;
    for (let mx = 0; mx < modules.size; mx++) {
      if (!modules.get(my, mx)) continue;
      for (let x = (mx + margin) * scale, end = x + scale; x < end; x++) row[x >> 3]! &= ~(0x80 >> (x & 7));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Renders a ticket token in the requested format. */
export async function renderTicketQr(token: string, format: TicketQrFormat): Promise<TicketQrImage> {
  if (format === 'svg') return { contentType: 'image/svg+xml', body: Buffer.from(await renderTicketQrSvg(token), 'utf8') };
  return { contentType: 'image/png', body: await renderTicketQrPng(token) };
}
