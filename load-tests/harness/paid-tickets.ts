/**
 * Paid tickets that admit right now and the device tokens that scan them, for gate tests and
 * benches against real hub nodes. The flow lives with the clients (`clients/devices/visitor-flow.ts`,
 * used by the floor demo and the device simulators); the harness re-exports it under the same names.
 */
export { buyTickets, issueDevice, openActivityNow } from '../../clients/devices/visitor-flow.js';
export type { BuyTicketsOptions, IssuedDevice, OpenActivity, OpenActivityOptions, PaidTicket } from '../../clients/devices/visitor-flow.js';
