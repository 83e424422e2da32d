import { StaffFrame } from '../staff-app.js';
import { st } from '../staff-messages.js';

export function DeskPage() {
  return <StaffFrame title={st('desk.title')}>{null}</StaffFrame>;
}
