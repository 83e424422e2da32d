/**
 * The one policy table: every action a person or device can ask for, over a socket or HTTP, with
 * who may do it (roles, device kinds), the ownership rule that lets its owner do it too, and
 * whether it is privileged (an audit row is written before it runs). Both edges decide with
 * `decide()` and audit under the action's name, so the same attempt leaves the same row whichever
 * way it came in. `docs/roles.md` is printed from this table (a test fails when it is stale).
 */
import type { DeviceKind, PersonRole, SessionRole } from '../../machines/contract/wire.js';
import type { Principal } from '../auth/tokens.js';

/** Who else may act: the visitor a booking belongs to, or the person themselves. */
export type Ownership = 'none' | 'own_booking' | 'self';

/** One row of the policy. */
export interface PolicyRow {
  /** What it is, for the roles page. */
  what: string;
  /** Where it comes in: socket events and HTTP routes. */
  edges: readonly string[];
  /** The roles allowed: an account's, or `guest` (a signed-out visitor's session) for what anyone may follow. */
  roles: readonly SessionRole[];
  devices: readonly DeviceKind[];
  ownership: Ownership;
  privileged: boolean;
}

const ADMINS: readonly PersonRole[] = ['super_admin', 'finance_admin', 'booking_admin', 'support_admin'];
const REVIEWERS: readonly PersonRole[] = ['super_admin', 'booking_admin'];
const FRONT_DESK: readonly PersonRole[] = ['super_admin', 'booking_admin', 'support_admin'];
const FINANCE: readonly PersonRole[] = ['super_admin', 'finance_admin'];
const SUPER: readonly PersonRole[] = ['super_admin'];
const KITCHEN: readonly PersonRole[] = ['super_admin', 'kitchen_staff'];
const NOBODY: readonly PersonRole[] = [];

const row = (what: string, edges: readonly string[], roles: readonly SessionRole[], devices: readonly DeviceKind[] = [], ownership: Ownership = 'none', privileged = false): PolicyRow => ({
  what,
  edges,
  roles,
  devices,
  ownership,
  privileged,
});

/** Every action, by name (the name is also the audit row's `action`). */
export const POLICY = {
  'booking.watch': row('watch a booking (actor:subscribe)', ['actor:subscribe'], ADMINS, [], 'own_booking'),
  'booking.hold': row('hold places: start a booking', ['booking:hold'], ['visitor'], [], 'self'),
  'booking.submit': row('submit a held booking', ['actor:command booking.submit'], NOBODY, [], 'own_booking'),
  'booking.cancel': row('cancel without a refund over the socket', ['actor:command booking.cancel'], NOBODY, [], 'own_booking'),
  'booking.cancel_refund': row('cancel under the refund policy', ['POST /api/bookings/:id/cancel'], NOBODY, [], 'own_booking'),
  'booking.approve': row('approve a booking under review', ['actor:command booking.approve'], REVIEWERS, [], 'none', true),
  'booking.reject': row('reject a booking under review', ['actor:command booking.reject'], REVIEWERS, [], 'none', true),
  'booking.read': row("read a booking and its tickets (staff: its history too)", ['GET /api/bookings/:id', 'GET /api/bookings/:id/tickets', 'GET /api/tickets/:id/qr.*', 'GET /api/admin/bookings/:id/history'], ADMINS, [], 'own_booking'),
  'booking.pay': row('start paying a booking', ['POST /api/bookings/:id/pay'], NOBODY, [], 'own_booking'),
  'booking.change': row('move a booking to another slot or change its party, priced again (a paid one: refund, waive or collect the difference); withdraw a change waiting for payment', ['POST /api/admin/bookings/:id/change', 'POST /api/admin/bookings/:id/change/withdraw'], REVIEWERS, [], 'none', true),
  'booking.check_out': row('close a visit now', ['POST /api/admin/bookings/:id/check-out'], FRONT_DESK, [], 'none', true),
  'feed.dashboard': row('the dashboard feed', ['feed:subscribe dashboard'], ADMINS),
  'feed.reviews': row('the review queue feed', ['feed:subscribe reviews'], REVIEWERS),
  'feed.kitchen': row('the kitchen feed', ['feed:subscribe kitchen'], ['super_admin', 'kitchen_staff'], ['kitchen_board']),
  'feed.zone': row("a zone's feed (gates: their own zone only)", ['feed:subscribe zone'], ADMINS, ['gate']),
  'feed.lockers': row("the lockers feed: every locker and its holder (locker devices: their own zone's)", ['feed:subscribe lockers'], FRONT_DESK, ['locker']),
  'feed.rentals': row('the rentals feed: the items out, who has them, when they are due', ['feed:subscribe rentals'], FRONT_DESK, ['rental_desk']),
  'list.bookings': row('page through bookings (visitors: their own)', ['list:page bookings', 'GET /api/lists/bookings'], ADMINS, [], 'self'),
  'list.payments': row('page through payments and refunds', ['list:page payments', 'GET /api/lists/payments'], FINANCE),
  'list.tickets': row('page through tickets', ['list:page tickets', 'GET /api/lists/tickets'], ADMINS),
  'list.lockers': row("page through lockers (locker devices: their own zone's, the pages past a feed snapshot)", ['list:page lockers', 'GET /api/lists/lockers'], FRONT_DESK, ['locker']),
  'holds.read': row("a slot's holds, or one visitor's holds and unpaid total", ['GET /api/admin/holds'], FRONT_DESK),
  'list.equipment': row('page through rental items', ['list:page equipment', 'GET /api/lists/equipment'], FRONT_DESK),
  'list.alerts': row('page through staff alerts', ['list:page alerts', 'GET /api/lists/alerts'], ADMINS),
  'list.devices': row('page through devices: tokens minted, last seen, revoked', ['list:page devices', 'GET /api/lists/devices'], SUPER),
  'alert.acknowledge': row('acknowledge a staff alert', ['alert:acknowledge', 'POST /api/admin/alerts/:id/acknowledge'], ADMINS, [], 'none', true),
  'alert.resolve': row('resolve a staff alert', ['alert:resolve', 'POST /api/admin/alerts/:id/resolve'], ADMINS, [], 'none', true),
  'session.revoke': row("end every session of a person or device", ['admin:revoke'], SUPER, [], 'none', true),
  'gate.scan': row('scan a ticket or band at a gate (gates bound to a gate)', ['gate:scan'], NOBODY, ['gate']),
  'gate.offline': row('download an offline bundle, upload offline scans', ['gate:offline_bundle', 'gate:sync'], NOBODY, ['gate']),
  'band.link': row('link a wristband to a ticket', ['band:link'], FRONT_DESK, ['gate']),
  'locker.use': row('open or claim a locker for a band', ['locker:open', 'locker:claim'], FRONT_DESK, ['locker']),
  'locker.assign': row("assign a locker to a band's booking", ['POST /api/admin/lockers/:id/assign'], FRONT_DESK, [], 'none', true),
  'locker.release': row('free a locker now', ['POST /api/admin/lockers/:id/release'], FRONT_DESK, [], 'none', true),
  'locker.out_of_service': row('take a free locker out of service', ['POST /api/admin/lockers/:id/out-of-service'], FRONT_DESK),
  'locker.back_in_service': row('put a locker back in service', ['POST /api/admin/lockers/:id/back-in-service'], FRONT_DESK),
  'locker.define': row('define a locker pool', ['POST /api/admin/lockers'], SUPER, [], 'none', true),
  'equipment.rent': row('hand out and take back rental items', ['rental:pickup', 'rental:return'], FRONT_DESK, ['rental_desk']),
  'equipment.charge': row('settle an item that is not coming back', ['POST /api/admin/equipment/:id/charge'], FRONT_DESK, [], 'none', true),
  'equipment.repaired': row('put a repaired item back', ['POST /api/admin/equipment/:id/repaired'], FRONT_DESK),
  'equipment.out_of_service': row('take an item out of service', ['POST /api/admin/equipment/:id/out-of-service'], FRONT_DESK),
  'equipment.define': row('define rental items', ['POST /api/admin/equipment'], SUPER, [], 'none', true),
  'occupancy.watch': row('watch occupancy and places (no names)', ['occupancy:subscribe', 'availability:subscribe', 'equipment:subscribe'], [...ADMINS, 'visitor', 'kitchen_staff'], ['gate', 'locker', 'kitchen_board', 'rental_desk']),
  'catalog.create': row('create a catalog entity', ['POST /api/admin/catalog/:kind'], SUPER, [], 'none', true),
  'catalog.update': row('change a catalog entity', ['PATCH /api/admin/catalog/:kind/:id'], SUPER, [], 'none', true),
  'account.set_role': row("change a person's role", ['POST /api/admin/users/:id/role'], SUPER, [], 'none', true),
  'account.find': row('look a person up by their verified email or phone', ['GET /api/admin/users'], ['super_admin', 'support_admin']),
  'account.suspend': row('suspend an account (support admins: visitors only)', ['POST /api/admin/users/:id/suspend'], ['super_admin', 'support_admin'], [], 'none', true),
  'account.reinstate': row('reinstate an account (support admins: visitors only)', ['POST /api/admin/users/:id/reinstate'], ['super_admin', 'support_admin'], [], 'none', true),
  'account.unlock': row('unlock an account: clear its wrong-code lock and code-send limits (support admins: visitors only)', ['POST /api/admin/users/:id/unlock'], ['super_admin', 'support_admin'], [], 'none', true),
  'booking.resend_tickets': row("send a booking's tickets email to the visitor again", ['POST /api/admin/bookings/:id/resend-tickets', 'GET /api/admin/bookings/:id/resend-tickets'], ['super_admin', 'support_admin'], [], 'none', true),
  'audit.read': row('read the audit trail', ['GET /api/admin/audit'], FINANCE),
  'device.issue_token': row('mint a device token', ['POST /api/admin/devices'], SUPER, [], 'none', true),
  'payment.refund': row('refund a payment', ['POST /api/admin/refunds'], FINANCE, [], 'none', true),
  'transactions.list': row('the transaction log', ['GET /api/admin/transactions'], FINANCE),
  'food.watch': row('watch a food order (actor:subscribe food_order)', ['actor:subscribe'], KITCHEN, [], 'own_booking'),
  'feed.food_orders': row("a visitor's food orders, every phone of the account (visitors: their own, zone = their user id)", ['feed:subscribe food_orders'], KITCHEN, [], 'self'),
  'food.read': row('read a food order', ['GET /api/food/orders/:id'], KITCHEN, [], 'own_booking'),
  'food.cancel': row('cancel a food order (visitors: their own, in full before the kitchen starts)', ['food:cancel', 'POST /api/food/orders/:id/cancel'], KITCHEN, [], 'own_booking', true),
  'kitchen.bump': row("bump or recall a station's ticket (boards pinned to a station: theirs)", ['kitchen:bump', 'kitchen:recall'], KITCHEN, ['kitchen_board']),
  'kitchen.expo': row('fire an order now, hand an order over', ['kitchen:fire', 'kitchen:deliver'], KITCHEN, ['kitchen_board']),
  'menu.watch': row('follow the menu and its 86s (signed out too: a guest session)', ['menu:subscribe'], ['visitor', ...ADMINS, 'kitchen_staff', 'guest'], ['kitchen_board']),
  'menu.admin': row('every menu category and item, inactive ones too', ['GET /api/admin/menu'], KITCHEN),
  'menu.sold_out': row("86 a menu item or bring it back (audited by the menu)", ['POST /api/admin/menu/items/:id/sold-out'], KITCHEN),
  'food.report': row('the food report of a day, by menu category', ['GET /api/admin/reports/food'], FINANCE),
  'food.order': row('order food during the visit of a booking (paid on its own)', ['POST /api/bookings/:id/food-orders'], NOBODY, [], 'own_booking'),
  'food.pay': row('start paying a food order placed during the visit', ['POST /api/food/orders/:id/pay'], NOBODY, [], 'own_booking'),
} as const satisfies Record<string, PolicyRow>;

/** An action of the policy. */
export type PolicyAction = keyof typeof POLICY;

/** What ownership rules read: the visitor the target belongs to, when it has one. */
export interface PolicyFacts {
  ownerId?: string | undefined;
}

/** A refusal by policy. */
export interface Denied {
  allowed: false;
  code: 'auth.forbidden';
  message: string;
}

/** Allowed; `privileged` actions leave an audit row. */
export interface Allowed {
  allowed: true;
  privileged: boolean;
}

export type Decision = Allowed | Denied;

/** The role a principal acts as, for messages and audit rows (`visitor`, `device:gate`, …). */
export function roleOf(principal: Principal): string {
  return principal.kind === 'person' ? principal.role : `device:${principal.deviceKind}`;
}

/** Decides one action for one principal by the table. */
export function decide(principal: Principal, action: PolicyAction, facts: PolicyFacts = {}): Decision {
  return decideBy(POLICY[action], principal, facts);
}

/** The rows of these actions of the table, for the module that owns them to list. */
export function policyRows<A extends PolicyAction>(...actions: readonly A[]): Readonly<Record<A, PolicyRow>> {
  return Object.fromEntries(actions.map((action) => [action, POLICY[action]])) as Record<A, PolicyRow>;
}

/** The table with the rows modules add: one decision for any action a module names. */
export interface Policy {
  /** Every row: the table's and the modules'. */
  readonly rows: Readonly<Record<string, PolicyRow>>;
  /** Decides by the action's row; an action no row names is refused. */
  decide(principal: Principal, action: string, facts?: PolicyFacts): Decision;
}

/** The policy of a hub: the table and the rows of its modules (a row may not name an action twice). */
export function createPolicy(moduleRows: readonly Readonly<Record<string, PolicyRow>>[]): Policy {
  const rows: Record<string, PolicyRow> = {};
  for (const add of moduleRows) {
    for (const [action, row] of Object.entries(add)) {
      const known = rows[action] ?? (Object.hasOwn(POLICY, action) ? (POLICY as Record<string, PolicyRow>)[action] : undefined);
      if (rows[action] !== undefined || (known !== undefined && known !== row)) throw new Error(`policy action ${action} is defined twice`);
      rows[action] = row;
    }
  }
  const all: Record<string, PolicyRow> = { ...POLICY, ...rows };
  return {
    rows: all,
    decide(principal, action, facts = {}) {
      const row = all[action];
      if (row === undefined) return { allowed: false, code: 'auth.forbidden', message: `no policy row allows ${action}` };
      return decideBy(row, principal, facts);
    },
  };
}

function decideBy(rule: PolicyRow, principal: Principal, facts: PolicyFacts): Decision {
  const byRole = principal.kind === 'person' ? rule.roles.includes(principal.role) : rule.devices.includes(principal.deviceKind);
  const byOwnership =
    principal.kind === 'person' &&
    principal.role === 'visitor' &&
    ((rule.ownership === 'own_booking' && facts.ownerId !== undefined && facts.ownerId === principal.userId) || rule.ownership === 'self');
  if (byRole || byOwnership) return { allowed: true, privileged: rule.privileged };
  return { allowed: false, code: 'auth.forbidden', message: `${roleOf(principal)} may not ${rule.what}` };
}

/** The roles page: the matrix of actions against roles and device kinds. */
export function renderRolesPage(): string {
  const people: readonly SessionRole[] = ['visitor', 'super_admin', 'finance_admin', 'booking_admin', 'support_admin', 'kitchen_staff', 'guest'];
  const devices: readonly DeviceKind[] = ['gate', 'locker', 'kitchen_board', 'rental_desk'];
  const mark = (rule: PolicyRow, role: SessionRole) =>
    rule.roles.includes(role) ? '✔' : role === 'visitor' && rule.ownership === 'own_booking' ? 'own' : role === 'visitor' && rule.ownership === 'self' ? 'self' : '';
  const lines = [
    '# Roles and what they may do',
    '',
    'Printed from the policy table (`hub/policy/policy-table.ts`) by `hub/policy/roles-doc.test.ts`; the test',
    'fails when this page is stale (`UPDATE_ROLES_DOC=1 npx vitest run hub/policy/roles-doc.test.ts` rewrites it).',
    'Sockets and HTTP decide with the same table and write the same audit row (`action` = the first column).',
    '',
    '✔ allowed · `own`: the visitor the booking belongs to · `self`: for themselves only · 🔒 privileged: an audit',
    'row is written before it runs (every refusal is audited too). `guest`: a signed-out visitor\'s session',
    '(`POST /api/auth/guest`), no account.',
    '',
    `| action | what | ${people.join(' | ')} | ${devices.map((d) => `device ${d}`).join(' | ')} | 🔒 | comes in by |`,
    `| --- | --- | ${people.map(() => ':---:').join(' | ')} | ${devices.map(() => ':---:').join(' | ')} | :---: | --- |`,
  ];
  for (const [action, rule] of Object.entries(POLICY) as Array<[string, PolicyRow]>) {
    const cells = [...people.map((role) => mark(rule, role)), ...devices.map((d) => (rule.devices.includes(d) ? '✔' : ''))];
    lines.push(`| \`${action}\` | ${rule.what} | ${cells.join(' | ')} | ${rule.privileged ? '🔒' : ''} | ${rule.edges.map((e) => `\`${e}\``).join(', ')} |`);
  }
  return lines.join('\n') + '\n';
}
