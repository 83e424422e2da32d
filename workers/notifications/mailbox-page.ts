/**
 * The local mailbox as a page: what the embedded deployment "sent" by email and SMS, newest
 * first, so a person trying Venue Hub without a mail server can read their OTPs and tickets.
 *
 * Email HTML is shown inside a sandboxed iframe (`srcdoc`, no scripts, no same origin) with its
 * inline images (`cid:`) replaced by data URLs; everything else is escaped text.
 */
import type { MailboxMessage, MailboxQuery, NotificationStore } from './notification-store.js';
import { escapeHtml } from './templates.js';

/** The most messages one page lists. */
export const MAILBOX_PAGE_LIMIT = 200;

/** Lists the local mailbox, newest first; `limit` is capped at MAILBOX_PAGE_LIMIT. */
export async function listMailbox(store: Pick<NotificationStore, 'mailbox'>, query: MailboxQuery): Promise<MailboxMessage[]> {
  return store.mailbox.list({ ...query, limit: Math.max(1, Math.min(MAILBOX_PAGE_LIMIT, Math.floor(query.limit))) });
}

/** The HTML of an email with its inline images (`cid:…`) turned into data URLs. */
export function inlineImages(message: MailboxMessage): string | null {
  if (message.html === null) return null;
  let html = message.html;
  for (const a of message.attachments) {
    if (a.cid === null) continue;
    html = html.split(`cid:${a.cid}`).join(`data:${a.contentType};base64,${a.contentBase64}`);
  }
  return html;
}

function card(m: MailboxMessage): string {
  const when = new Date(m.at).toISOString().replace('T', ' ').slice(0, 19);
  const html = inlineImages(m);
  const body =
    html === null
      ? `<pre>${escapeHtml(m.text)}</pre>`
      : `<iframe sandbox srcdoc="${escapeHtml(html)}" title="${escapeHtml(m.subject ?? 'message')}"></iframe>` +
        `<details><summary>Plain text</summary><pre>${escapeHtml(m.text)}</pre></details>`;
  const files = m.attachments.length === 0 ? '' : `<div class="meta">${m.attachments.length} attachment(s): ${m.attachments.map((a) => escapeHtml(a.filename)).join(', ')}</div>`;
  return [
    `<article class="${m.channel}">`,
    `<div class="meta"><b>${m.channel.toUpperCase()}</b> · ${escapeHtml(when)} UTC · to <b>${escapeHtml(m.to)}</b> · from ${escapeHtml(m.from)}</div>`,
    m.subject === null ? '' : `<h3>${escapeHtml(m.subject)}</h3>`,
    body,
    files,
    '</article>',
  ].join('');
}

/** Renders the mailbox page for the given messages (already filtered and ordered). */
export function renderMailboxPage(messages: readonly MailboxMessage[], options: { title?: string; to?: string } = {}): string {
  const title = options.title ?? 'Local mailbox';
  const filter = options.to === undefined ? '' : ` for ${escapeHtml(options.to)}`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font:15px/1.4 sans-serif;margin:24px;color:#222}article{border:1px solid #ddd;border-radius:8px;padding:12px;margin:12px 0}',
    'article.sms{background:#f6fbf6}.meta{color:#555;font-size:13px}iframe{width:100%;height:480px;border:1px solid #eee}pre{white-space:pre-wrap}</style>',
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Email and SMS sent by this Venue Hub${filter} (newest first, ${messages.length} shown). Configure SMTP_URL to send real email.</p>`,
    messages.length === 0 ? '<p>No messages yet.</p>' : messages.map(card).join('\n'),
    '</body></html>',
  ].join('\n');
}
