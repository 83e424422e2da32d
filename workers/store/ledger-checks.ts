/**
 * Argument checks shared by every capacity-ledger adapter. A bad quantity or capacity is a
 * programming error in the caller (the edge validates user input), so these throw.
 */

/** Throws unless `qty` is a positive safe integer. */
export function assertQuantity(qty: number): void {
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new RangeError(`ledger: quantity must be a positive integer, got ${qty}`);
}

/** Throws unless `capacity` is a non-negative safe integer. */
export function assertCapacity(capacity: number): void {
  if (!Number.isSafeInteger(capacity) || capacity < 0) {
    throw new RangeError(`ledger: capacity must be a non-negative integer, got ${capacity}`);
  }
}
