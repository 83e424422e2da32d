/**
 * QR images of ticket tokens, drawn by the maintained `qrcode` package with error correction
 * level M (15 % of the symbol may be damaged or covered and it still scans), which keeps a
 * ~350-character token at a size phone screens and gate scanners read easily.
 */
import { toBuffer, toString } from 'qrcode';

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

/** Renders a ticket token as a PNG (for email, where SVG is often blocked); `scale` is pixels per module. */
export async function renderTicketQrPng(token: string, scale = 6): Promise<Buffer> {
  return toBuffer(token, { type: 'png', errorCorrectionLevel: TICKET_QR_ERROR_CORRECTION, margin: 4, scale });
}

/** Renders a ticket token in the requested format. */
export async function renderTicketQr(token: string, format: TicketQrFormat): Promise<TicketQrImage> {
  if (format === 'svg') return { contentType: 'image/svg+xml', body: Buffer.from(await renderTicketQrSvg(token), 'utf8') };
  return { contentType: 'image/png', body: await renderTicketQrPng(token) };
}
