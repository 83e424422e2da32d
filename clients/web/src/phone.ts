/**
 * Saudi mobile numbers as people type them: "05x xxx xxxx", "5xxxxxxxx", "+966 5x…", "00966…",
 * with Western or Arabic-Indic digits (٠١٢…, ۰۱۲…), spaces and dashes. The hub stores E.164.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

/** Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic (U+06F0–06F9) digits as 0–9. */
export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) & 0xf));
}

/** The number in E.164 (`+9665…`), or null when it is not a valid mobile number. */
export function mobileE164(typed: string): string | null {
  const cleaned = westernDigits(typed).replace(/^\s*00/, '+');
  const parsed = parsePhoneNumberFromString(cleaned, 'SA');
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? parsed.number : null;
}
