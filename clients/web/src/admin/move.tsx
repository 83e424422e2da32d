/** Moving a booking to another slot or changing its party: added with the hub's booking change command. */
import type { ActorState } from '../../../../machines/contract/wire.js';

export function MoveBooking(_props: { booking: ActorState }) {
  return null;
}
