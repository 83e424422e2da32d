/** Reads a venue day's movements from the transaction log (finance and super admins). */
import type { Transaction } from '../../../sdk/index.js';
import { api, signedInCall } from '../session.js';
import { dayStart, nextDay } from './ledger.js';

/** Every movement of the venue day, oldest first (paged through the log by time). */
export async function dayTransactions(day: string, timeZone: string): Promise<{ ok: true; rows: Transaction[] } | { ok: false; code: string; message: string }> {
  const from = dayStart(day, timeZone);
  const to = dayStart(nextDay(day), timeZone);
  const seen = new Set<string>();
  const rows: Transaction[] = [];
  let since = from;
  for (;;) {
    const page = await signedInCall((token) => api.transactions({ since, limit: 500 }, token));
    if (!page.ok) return page;
    const fresh = page.data.filter((row) => !seen.has(row.txnId));
    for (const row of fresh) {
      seen.add(row.txnId);
      if (row.at < to) rows.push(row);
    }
    const last = page.data.at(-1);
    if (page.data.length < 500 || last === undefined || last.at >= to || fresh.length === 0) break;
    since = last.at;
  }
  return { ok: true, rows };
}

