/**
 * The food report of a venue day, by menu category, from the `food_orders` read model: what was
 * ordered and paid, its VAT, what was cancelled and what was served, and the orders' money.
 *
 *   per paid order, per line: qty, gross (qty × unit price, VAT included), vat (inside gross)
 *     cancelled → `cancelled` += gross      ready, delivered, not collected → `served` += gross
 *   captured = Σ capturedAmount   refundRequested = Σ refundRequestedAmount
 *   refunded = Σ refundedAmount (refunds through; a pre-order's come back from its booking)
 *   financeRefunded = Σ financeRefundedAmount (finance refunds of orders' own payments)
 *   per order, what it keeps (captured − refundRequested), by its state:
 *     served → its lines' gross less its finance refunds (servedRefunded)
 *     cancelled → keptOnCancel      paid, waiting, in the kitchen → open
 *   refundPending = refundRequested − refunded
 *
 * so captured − refunded = served − servedRefunded + keptOnCancel + open + refundPending, always.
 * A pre-order cancelled with its booking asks for nothing itself: the booking's cancellation
 * refund (its policy) covers it, so it shows as cancelled, and what its booking kept as kept.
 */
import type { FoodReport, FoodReportLine } from '../../machines/contract/food.js';
import { vatOf } from '../../machines/contract/food.js';
import { FoodOrderContext } from '../../machines/food-order.schemas.js';
import type { ReadModelStore } from '../projections/read-model.js';
import { foodOrdersProjection } from './kitchen-queue.js';

const SERVED = new Set(['ready', 'delivered', 'not_collected']);

/** Builds the report of `day`; `categoryOf` names each item's menu category (`uncategorised` when gone). */
export async function foodReport(models: Pick<ReadModelStore, 'list'>, timeZone: string, day: string, categoryOf: (itemId: string) => Promise<string | undefined>): Promise<FoodReport> {
  const spec = foodOrdersProjection(timeZone);
  const lines = new Map<string, FoodReportLine>();
  const report: FoodReport = { day, categories: [], captured: 0, refundRequested: 0, refunded: 0, financeRefunded: 0, served: 0, servedRefunded: 0, keptOnCancel: 0, open: 0, refundPending: 0, orders: {} };
  const categories = new Map<string, string>();
  let after: string | undefined;
  do {
    const page = await models.list(spec, { filters: { day }, limit: 500, ...(after === undefined ? {} : { after }) });
    for (const raw of page.rows) {
      const row = raw as { state: string; context: unknown };
      const context = FoodOrderContext.safeParse(row.context);
      if (!context.success) continue;
      const order = context.data;
      report.orders[row.state] = (report.orders[row.state] ?? 0) + 1;
      report.captured += order.capturedAmount;
      report.refundRequested += order.refundRequestedAmount;
      report.refunded += order.refundedAmount;
      report.refundPending += order.refundRequestedAmount - order.refundedAmount;
      const finance = order.financeRefundedAmount ?? 0;
      report.financeRefunded += finance;
      const kept = order.capturedAmount - order.refundRequestedAmount;
      if (SERVED.has(row.state)) report.servedRefunded += finance;
      else if (row.state === 'cancelled') report.keptOnCancel += kept;
      else report.open += kept;
      if (order.capturedAmount === 0) continue;
      for (const line of order.lines) {
        if (!categories.has(line.itemId)) categories.set(line.itemId, (await categoryOf(line.itemId)) ?? 'uncategorised');
        const categoryId = categories.get(line.itemId) ?? 'uncategorised';
        const sum = lines.get(categoryId) ?? { categoryId, qty: 0, gross: 0, vat: 0, cancelled: 0, served: 0 };
        const gross = line.qty * line.unitPrice;
        sum.qty += line.qty;
        sum.gross += gross;
        sum.vat += vatOf(gross, line.vatPercent);
        if (row.state === 'cancelled') sum.cancelled += gross;
        if (SERVED.has(row.state)) {
          sum.served += gross;
          report.served += gross;
        }
        lines.set(categoryId, sum);
      }
    }
    after = page.next;
  } while (after !== undefined);
  report.categories = [...lines.values()].sort((a, b) => a.categoryId.localeCompare(b.categoryId));
  return report;
}
