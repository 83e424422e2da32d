/** The menu's serving windows, as the hub and the menus in the pages read them. */
import { describe, expect, it } from 'vitest';
import { menuWeekdayOf, servedAtLocal } from './food.js';

describe('serving windows', () => {
  const lunch = [{ days: ['fri' as const, 'sat' as const], from: '12:00', to: '16:00' }];

  it('names the weekday of a calendar date', () => {
    expect(['2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07'].map(menuWeekdayOf)).toEqual(['fri', 'sat', 'sun', 'mon']);
  });

  it('serves inside a window on its days, from its start up to (not at) its end', () => {
    expect(servedAtLocal(lunch, 'fri', '12:00')).toBe(true);
    expect(servedAtLocal(lunch, 'sat', '15:59')).toBe(true);
    expect(servedAtLocal(lunch, 'sat', '16:00')).toBe(false);
    expect(servedAtLocal(lunch, 'fri', '11:59')).toBe(false);
    expect(servedAtLocal(lunch, 'sun', '13:00')).toBe(false);
  });

  it('serves all day without windows, and every day for a window without days', () => {
    expect(servedAtLocal([], 'mon', '03:00')).toBe(true);
    expect(servedAtLocal([{ from: '10:00', to: '11:00' }], 'tue', '10:30')).toBe(true);
  });
});
