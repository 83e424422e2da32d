import { StaffFrame } from '../staff-app.js';
import { st } from '../staff-messages.js';

export function LockerPage() {
  return <StaffFrame title={st('locker.title')}>{null}</StaffFrame>;
}
