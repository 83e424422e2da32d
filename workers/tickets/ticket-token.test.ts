import { KeyObject, randomBytes, sign } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTicketQr, renderTicketQrPng, renderTicketQrSvg } from './ticket-qr.js';
import { DEFAULT_TICKET_GRACE_MS, TICKET_AUDIENCE, TICKET_TOKEN_TYPE, createTicketTokens, signTicketToken, verifyTicketToken } from './ticket-token.js';
import type { TicketTokenSubject } from './ticket-token.js';
import { createTestTicketKeys, decodeQrPng } from './tickets.test-support.js';
import type { TestTicketKeys } from './tickets.test-support.js';

const ISSUER = 'venue-hub';
const START = Date.UTC(2030, 5, 1, 10, 0, 0);
const END = START + 2 * 3_600_000;
const ticket: TicketTokenSubject = { ticketId: 'bk_7f3a9c-t2', bookingId: 'bk_7f3a9c', validFrom: START, validUntil: END };

let keys: TestTicketKeys;
let other: TestTicketKeys;

beforeAll(async () => {
  keys = await createTestTicketKeys('ticket-2030');
  other = await createTestTicketKeys('access-2030');
});

const verify = (token: unknown, at = START + 60_000) => verifyTicketToken(token, { keys, issuer: ISSUER, at });

/** Signs an arbitrary ticket-looking JWT with the given header and key, for forgeries. */
function forge(header: { alg: string; typ?: string; kid?: string }, claims: Record<string, unknown> = {}) {
  return new SignJWT({ b: ticket.bookingId, ...claims })
    .setProtectedHeader(header)
    .setIssuer(ISSUER)
    .setAudience(TICKET_AUDIENCE)
    .setJti(ticket.ticketId)
    .setNotBefore(Math.floor(START / 1000) - 3600)
    .setExpirationTime(Math.floor(END / 1000) + 3600);
}

describe('ticket tokens', () => {
  it('sign a compact EdDSA JWS with the ticket typ and kid that verifies to the ticket', async () => {
    const token = await signTicketToken(ticket, { keys, issuer: ISSUER });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' });
    expect(token.length).toBeLessThan(400);
    expect(await verify(token)).toEqual({
      ok: true,
      claims: {
        ticketId: ticket.ticketId,
        bookingId: ticket.bookingId,
        notBefore: START - DEFAULT_TICKET_GRACE_MS,
        expiresAt: END + DEFAULT_TICKET_GRACE_MS,
        kid: 'ticket-2030',
      },
    });
  });

  it('are deterministic: the same ticket always gives the same token', async () => {
    const tokens = createTicketTokens({ keys, issuer: ISSUER });
    expect(await tokens.sign(ticket)).toBe(await tokens.sign({ ...ticket }));
    expect(await tokens.sign(ticket)).not.toBe(await tokens.sign({ ...ticket, ticketId: 'bk_7f3a9c-t3' }));
  });

  it('verify only within the slot window widened by the grace', async () => {
    const token = await signTicketToken(ticket, { keys, issuer: ISSUER, graceMs: 30 * 60_000 });
    expect((await verify(token, START - 29 * 60_000)).ok).toBe(true);
    expect(await verify(token, START - 32 * 60_000)).toMatchObject({ ok: false, code: 'ticket.invalid', message: 'the ticket is not valid yet' });
    expect((await verify(token, END + 29 * 60_000)).ok).toBe(true);
    expect(await verify(token, END + 32 * 60_000)).toMatchObject({ ok: false, code: 'ticket.invalid', message: 'the ticket is past its slot' });
  });

  it('still verify after a key rotation while the old key is kept for verification', async () => {
    const token = await signTicketToken(ticket, { keys, issuer: ISSUER });
    const rotated = await createTestTicketKeys('ticket-2031', [keys]);
    expect((await verifyTicketToken(token, { keys: rotated, issuer: ISSUER, at: START })).ok).toBe(true);
    expect(decodeProtectedHeader(await signTicketToken(ticket, { keys: rotated, issuer: ISSUER })).kid).toBe('ticket-2031');
  });
});

describe('verifyTicketToken refuses with ticket.invalid', () => {
  const refused = async (token: unknown, reason: RegExp) => {
    const result = await verify(token);
    expect(result).toMatchObject({ ok: false, code: 'ticket.invalid' });
    if (!result.ok) expect(result.message).toMatch(reason);
  };

  it('nothing, non-strings, garbage and oversized input', async () => {
    await refused(undefined, /no ticket token/);
    await refused('', /no ticket token/);
    await refused(42, /no ticket token/);
    await refused('not.a.jwt', /malformed/);
    await refused('a'.repeat(5000), /too long/);
  });

  it('a token with a tampered payload or signature', async () => {
    const [header, , signature] = (await signTicketToken(ticket, { keys, issuer: ISSUER })).split('.');
    const otherPayload = (await signTicketToken({ ...ticket, ticketId: 'bk_7f3a9c-t9' }, { keys, issuer: ISSUER })).split('.')[1];
    await refused(`${header}.${otherPayload}.${signature}`, /signature does not verify/);
    await refused(`${header}.${otherPayload}.${randomBytes(64).toString('base64url')}`, /signature does not verify/);
  });

  it('alg none', async () => {
    const unsecured = new UnsecuredJWT({ b: ticket.bookingId }).setIssuer(ISSUER).setAudience(TICKET_AUDIENCE).setJti(ticket.ticketId).encode();
    await refused(unsecured, /must be signed with EdDSA/);
    const [, payload] = (await signTicketToken(ticket, { keys, issuer: ISSUER })).split('.');
    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' })).toString('base64url');
    await refused(`${noneHeader}.${payload}.`, /must be signed with EdDSA/);
  });

  it('HS256, even keyed with the public key', async () => {
    const publicBytes = Buffer.from(keys.publicJwk.x ?? '', 'base64url');
    await refused(await forge({ alg: 'HS256', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' }).sign(publicBytes), /must be signed with EdDSA/);
  });

  it('a forged ticket signed by a key not in the ticket ring, or without a kid', async () => {
    await refused(await forge({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' }).sign(other.active.privateKey), /signature does not verify/);
    await refused(await forge({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'unknown' }).sign(other.active.privateKey), /not signed by a ticket key/);
    await refused(await forge({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE }).sign(keys.active.privateKey), /not signed by a ticket key/);
  });

  it('a token of the wrong type, even signed by the ticket key', async () => {
    await refused(await forge({ alg: 'EdDSA', typ: 'JWT', kid: 'ticket-2030' }).sign(keys.active.privateKey), /not a ticket/);
    await refused(await forge({ alg: 'EdDSA', kid: 'ticket-2030' }).sign(keys.active.privateKey), /not a ticket/);
  });

  it('a session (access) token and a payment token presented as a ticket', async () => {
    const session = await new SignJWT({ role: 'visitor' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: 'access-2030' })
      .setIssuer(ISSUER)
      .setAudience('venue-hub:people')
      .setSubject('vis_1')
      .setIssuedAt(Math.floor(START / 1000))
      .setExpirationTime(Math.floor(END / 1000))
      .setJti('s1')
      .sign(other.active.privateKey);
    await refused(session, /not signed by a ticket key/);
    // Even a session-shaped token signed with the ticket key fails on its typ and audience.
    await refused(await forge({ alg: 'EdDSA', typ: 'vh-access+jwt', kid: 'ticket-2030' }).sign(keys.active.privateKey), /not a ticket/);
    const payment = await new SignJWT({ paymentId: 'pay_1', amount: 12_500 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('payments')
      .setExpirationTime(Math.floor(END / 1000))
      .sign(randomBytes(32));
    await refused(payment, /must be signed with EdDSA/);
  });

  it('a ticket for another audience or issuer', async () => {
    const wrongAudience = await forge({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' })
      .setAudience('venue-hub:people')
      .sign(keys.active.privateKey);
    await refused(wrongAudience, /not meant for venue-hub:gates/);
    const wrongIssuer = await forge({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' }).setIssuer('elsewhere').sign(keys.active.privateKey);
    await refused(wrongIssuer, /"iss" claim/);
  });

  it('a token with a critical header extension, a fourth part or characters outside base64url', async () => {
    const [header, payload, signature] = (await signTicketToken(ticket, { keys, issuer: ISSUER })).split('.');
    // Signed by hand: jose will not sign with an extension it does not know.
    const criticalHeader = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030', crit: ['x-gate'], 'x-gate': 1 })).toString('base64url');
    const criticalSignature = sign(null, Buffer.from(`${criticalHeader}.${payload}`), KeyObject.from(keys.active.privateKey)).toString('base64url');
    const critical = `${criticalHeader}.${payload}.${criticalSignature}`;
    await refused(critical, /malformed/);
    await refused(`${header}.${payload}.${signature}.x`, /malformed/);
    await refused(`${header}.${payload}+.${signature}`, /malformed/);
  });

  it('a ticket whose claims lack the booking', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', typ: TICKET_TOKEN_TYPE, kid: 'ticket-2030' })
      .setIssuer(ISSUER)
      .setAudience(TICKET_AUDIENCE)
      .setJti(ticket.ticketId)
      .setNotBefore(Math.floor(START / 1000))
      .setExpirationTime(Math.floor(END / 1000))
      .sign(keys.active.privateKey);
    await refused(token, /claims are malformed/);
  });
});

describe('ticket QR images', () => {
  it('render the token as a PNG that decodes back to it, and as an SVG', async () => {
    const token = await signTicketToken(ticket, { keys, issuer: ISSUER });
    const png = await renderTicketQrPng(token);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(decodeQrPng(png)).toBe(token);
    const svg = await renderTicketQrSvg(token);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(await renderTicketQr(token, 'svg')).toMatchObject({ contentType: 'image/svg+xml' });
    expect(await renderTicketQr(token, 'png')).toMatchObject({ contentType: 'image/png' });
  });
});
