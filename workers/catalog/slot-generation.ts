/**
 * Slots from opening schedules, as a pure function of the schedule, a venue-local date range and
 * the zone. Ids are stable (`<activityId>-<yyyy-mm-dd>-<hhmm>`), so generating twice gives the
 * same slots and the store keeps the first.
 */
import type { Schedule, Slot } from './catalog-schemas.js';
import { WEEKDAYS } from './catalog-schemas.js';
import { addDays, weekdayIndex, zonedTime } from './venue-time.js';

/** The slot id of an activity's start on a venue-local date and time. */
export function slotIdOf(activityId: string, date: string, time: string): string {
  return `${activityId}-${date}-${time.replace(':', '')}`;
}

/** Every slot `schedule` opens on the `days` venue-local dates starting at `fromDate`. */
export function generateSlots(schedule: Schedule, fromDate: string, days: number, timeZone: string): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(fromDate, i);
    if (date < schedule.validFrom || (schedule.validTo !== null && date > schedule.validTo)) continue;
    const times = schedule.days[WEEKDAYS[weekdayIndex(date)] ?? 'sun'] ?? [];
    for (const startTime of [...new Set(times)].sort()) {
      const startsAt = zonedTime(date, startTime, timeZone);
      slots.push({
        slotId: slotIdOf(schedule.activityId, date, startTime),
        activityId: schedule.activityId,
        scheduleId: schedule.scheduleId,
        date,
        startTime,
        startsAt,
        endsAt: startsAt + schedule.durationMinutes * 60_000,
        capacity: schedule.capacity,
      });
    }
  }
  return slots;
}
