/**
 * Money over HTTP: the visitor starts paying, the provider's hosted page and webhooks, the
 * payer's return, and the finance desk's refunds and transaction log.
 *
 *   POST /api/bookings/:id/pay {method}      the booking's visitor   → {paymentId, redirectUrl} (open it)
 *   GET  /pay/simulated/:ref                 the payer's browser     the simulated provider's hosted page
 *   POST /pay/simulated/:ref (form)          the payer's browser     settles the test payment → 303 to the return page
 *   GET  /pay/return?payment=&booking=       the payer's browser     asks the provider (in the background); links to the booking page
 *                         (&order= instead of &booking=: a food order paid during the visit; links to the order page)
 *   POST /webhooks/payments/:provider        the provider            raw body, signature checked; applied once per event id
 *   POST /api/admin/refunds {paymentId, amount, requestId}   finance and super admins (audited)
 *   GET  /api/admin/transactions?since=&limit=&bookingId=    finance and super admins
 */
import { z } from 'zod';
import { accept, refuse } from '../../machines/errors.js';
import type { Result } from '../../machines/errors.js';
import type { PaymentGateway } from '../../workers/payments/gateway.js';
import type { Payments } from '../../workers/payments/payments.js';
import type { SimulatedGateway } from '../../workers/payments/simulated-gateway.js';
import type { Logger } from '../../workers/logger.js';
import type { Principal } from '../auth/tokens.js';
import type { HttpAnswer } from '../http/routes.js';
import type { AuditTrail } from '../policy/audit-trail.js';
import { decide } from '../policy/policy-table.js';
import { subjectOf } from '../rooms.js';
import type { ApiRequest, ApiRoute } from './api-router.js';
import { readJson } from './api-router.js';

/** What the payment routes need. */
export interface PaymentRouteDeps {
  authenticate: (req: ApiRequest) => Promise<Result<Principal>>;
  payments: Pick<Payments, 'service' | 'intake'>;
  gateway: Pick<PaymentGateway, 'provider'>;
  simulated: Pick<SimulatedGateway, 'hostedPage' | 'submitHostedPage'> | undefined;
  trail: AuditTrail;
  log: Logger;
}

const StartPayment = z.strictObject({ method: z.enum(['card', 'mada', 'applepay']) });
const PaymentId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const BookingId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const OrderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

function html(status: number, body: string): HttpAnswer {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The return page's words, in both languages the visitor app speaks. */
const RETURN_WORDS = {
  en: {
    title: 'Thank you: your payment is with the provider',
    booking: 'Your booking shows the outcome as soon as the provider confirms it.',
    order: 'Your food order shows the outcome as soon as the provider confirms it.',
    openBooking: 'Open your booking',
    openOrder: 'Open your food order',
  },
  ar: {
    title: 'شكرًا لك: دفعتك الآن لدى مزوّد الدفع',
    booking: 'تظهر نتيجة الدفع في حجزك فور تأكيد المزوّد لها.',
    order: 'تظهر نتيجة الدفع في طلب الطعام فور تأكيد المزوّد لها.',
    openBooking: 'افتح حجزك',
    openOrder: 'افتح طلب الطعام',
  },
} as const;

/**
 * The payer's landing page after the provider: the same for everyone, with the way back to the
 * booking (or the food order). It knows nobody's language (no session here), so it says it in
 * English and Arabic, the browser's preferred one first.
 */
function returnPage(link: string, what: 'booking' | 'order', acceptLanguage: string | undefined): string {
  const arabicFirst = /^\s*ar\b/i.test(acceptLanguage ?? '');
  const order: ('en' | 'ar')[] = arabicFirst ? ['ar', 'en'] : ['en', 'ar'];
  const href = escapeHtml(link);
  const sections = order.map((lang) => {
    const words = RETURN_WORDS[lang];
    const dir = lang === 'ar' ? 'rtl' : 'ltr';
    return `<section lang="${lang}" dir="${dir}"><h1>${escapeHtml(words.title)}</h1><p>${escapeHtml(what === 'order' ? words.order : words.booking)}</p><p><a href="${href}">${escapeHtml(what === 'order' ? words.openOrder : words.openBooking)}</a></p></section>`;
  });
  const [first] = order;
  // Back to the booking on its own after a moment (it shows the outcome live); the link stays for browsers that do not follow.
  return (
    `<!doctype html><html lang="${first}" dir="${first === 'ar' ? 'rtl' : 'ltr'}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="refresh" content="1;url=${href}"><title>Payment · الدفع</title>` +
    '<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#17212b;background:#f3f6fa}main{max-width:40rem;margin:0 auto;padding:1rem}' +
    'section{background:#fff;border:1px solid #c9d3de;border-radius:12px;padding:1rem;margin:0 0 1rem}h1{font-size:1.3rem;margin:0 0 .5rem}a{color:#08467f;font-weight:600}</style>' +
    `<main>${sections.join('')}</main></html>`
  );
}

/** The payment routes. */
export function paymentRoutes(deps: PaymentRouteDeps): ApiRoute[] {
  async function finance(req: ApiRequest, action: 'payment.refund' | 'transactions.list', target: string | null): Promise<Result<Principal>> {
    const who = await deps.authenticate(req);
    if (!who.ok) return who;
    const decision = decide(who.data, action);
    return decision.allowed ? who : deps.trail.deny(who.data, action, target, decision);
  }

  return [
    {
      method: 'POST',
      pattern: '/api/bookings/:id/pay',
      handler: async (req) => {
        const who = await deps.authenticate(req);
        if (!who.ok) return who;
        const body = readJson(StartPayment, req);
        if (!body.ok) return body;
        return deps.payments.service.startPayment(req.params['id'] ?? '', body.data.method, subjectOf(who.data));
      },
    },
    {
      method: 'POST',
      pattern: '/webhooks/payments/:provider',
      handler: async (req): Promise<HttpAnswer> => {
        if (req.params['provider'] !== deps.gateway.provider) {
          return { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify(refuse('payment.unknown', `this node takes ${deps.gateway.provider} webhooks`)) };
        }
        // The signature covers the exact bytes: the raw body goes in untouched.
        const answer = await deps.payments.intake.handleWebhook(req.body, req.headers);
        return { status: answer.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(answer.body) };
      },
    },
    {
      method: 'GET',
      pattern: '/pay/simulated/:ref',
      handler: async (req): Promise<Result<unknown> | HttpAnswer> => {
        if (!deps.simulated) return refuse('route.not_found', 'payments go through the configured provider');
        const page = deps.simulated.hostedPage(req.params['ref'] ?? '');
        return page.ok ? html(200, page.data) : page;
      },
    },
    {
      method: 'POST',
      pattern: '/pay/simulated/:ref',
      handler: async (req): Promise<Result<unknown> | HttpAnswer> => {
        if (!deps.simulated) return refuse('route.not_found', 'payments go through the configured provider');
        const fields = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
        const settled = deps.simulated.submitHostedPage(req.params['ref'] ?? '', fields);
        if (!settled.ok) return settled;
        return { status: 303, headers: { location: settled.data.redirectUrl, 'cache-control': 'no-store' }, body: '' };
      },
    },
    {
      method: 'GET',
      pattern: '/pay/return',
      handler: async (req): Promise<HttpAnswer> => {
        // The answer depends on the query string only, never on what is stored: an unknown payment,
        // someone else's and the visitor's own look alike, and no payment state is shown here. The
        // booking page (signed in) shows the outcome live; asking the provider runs in the background.
        const paymentId = req.search.get('payment') ?? '';
        if (PaymentId.safeParse(paymentId).success) {
          void deps.payments.service.refreshPayment(paymentId, 'payer-return').catch((error: unknown) => deps.log.warn('payer return: the provider could not be asked', { error: String(error) }));
        }
        const orderId = OrderId.safeParse(req.search.get('order'));
        if (orderId.success) return html(200, returnPage(`/food-orders/${encodeURIComponent(orderId.data)}`, 'order', req.headers['accept-language']));
        const bookingId = BookingId.safeParse(req.search.get('booking'));
        const link = bookingId.success ? `/bookings/${encodeURIComponent(bookingId.data)}` : '/';
        return html(200, returnPage(link, 'booking', req.headers['accept-language']));
      },
    },
    {
      method: 'POST',
      pattern: '/api/admin/refunds',
      handler: async (req) => {
        const raw = readJson(z.looseObject({ paymentId: z.string().optional() }), req);
        if (!raw.ok) return raw;
        const target = raw.data.paymentId === undefined ? null : `payment/${raw.data.paymentId}`;
        const who = await finance(req, 'payment.refund', target);
        if (!who.ok) return who;
        if (!(await deps.trail.allow(who.data, 'payment.refund', target, raw.data))) return refuse('store.unavailable', 'the audit trail cannot be written right now; retry shortly');
        const result = await deps.payments.service.requestRefund(raw.data, subjectOf(who.data));
        if (!result.ok) await deps.trail.failed(who.data, 'payment.refund', target, result);
        return result;
      },
    },
    {
      method: 'GET',
      pattern: '/api/admin/transactions',
      handler: async (req) => {
        const who = await finance(req, 'transactions.list', null);
        if (!who.ok) return who;
        const since = req.search.get('since');
        const limit = req.search.get('limit');
        const bookingId = req.search.get('bookingId');
        const listed = await deps.payments.service.listTransactions({
          ...(since === null ? {} : { since: Number(since) }),
          ...(limit === null ? {} : { limit: Number(limit) }),
          ...(bookingId === null ? {} : { bookingId }),
        });
        return listed.ok ? accept(listed.data) : listed;
      },
    },
  ];
}
