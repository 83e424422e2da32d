import { describe, expect, it } from 'vitest';
import { mobileE164, westernDigits } from './phone.js';

describe('Saudi mobile numbers as typed', () => {
  it.each([
    ['0501234567', '+966501234567'],
    ['050 123 4567', '+966501234567'],
    ['050-123-4567', '+966501234567'],
    ['501234567', '+966501234567'],
    ['+966501234567', '+966501234567'],
    ['+966 50 123 4567', '+966501234567'],
    ['00966501234567', '+966501234567'],
    ['٠٥٠١٢٣٤٥٦٧', '+966501234567'],
    ['٠٥٠ ١٢٣ ٤٥٦٧', '+966501234567'],
    ['+٩٦٦٥٠١٢٣٤٥٦٧', '+966501234567'],
    ['۰۵۵۱۲۳۴۵۶۷', '+966551234567'],
  ])('%s → %s', (typed, e164) => {
    expect(mobileE164(typed)).toBe(e164);
  });

  it('refuses what is not a mobile number', () => {
    for (const typed of ['', '12345', '0112345678', 'hello', '05012345678901']) expect(mobileE164(typed), typed).toBeNull();
  });

  it('reads both Arabic-Indic digit sets', () => {
    expect(westernDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
  });
});
