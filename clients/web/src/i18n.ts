/**
 * The visitor's language: English or Arabic (right to left), chosen in the header and remembered
 * on this device. Components read `lang` (a signal), so switching re-renders every page at once.
 */
import { signal } from '@preact/signals';
import type { VNode } from 'preact';
import { ar, en } from './messages.js';
import type { MessageKey } from './messages.js';

export type Lang = 'en' | 'ar';
const KEPT = 'vh.lang';

function initialLang(): Lang {
  const kept = localStorage.getItem(KEPT);
  if (kept === 'en' || kept === 'ar') return kept;
  return navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

/** The language shown now. */
export const lang = signal<Lang>(initialLang());

/** The `Intl` locale of a language: Arabic digits and the Gregorian calendar in Arabic. */
export function localeOf(language: Lang): string {
  return language === 'ar' ? 'ar-SA-u-ca-gregory-nu-arab' : 'en-GB';
}

/** Switches the language, remembers it and sets the document's `lang` and `dir`. */
export function setLang(language: Lang): void {
  lang.value = language;
  localStorage.setItem(KEPT, language);
  applyToDocument();
}

/** Mirrors the language onto <html lang dir> (right to left for Arabic). */
export function applyToDocument(): void {
  const root = document.documentElement;
  root.lang = lang.value;
  root.dir = lang.value === 'ar' ? 'rtl' : 'ltr';
  document.title = t('app.name');
}

/** The message for `key` in the current language, with `{name}` filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const table = lang.value === 'ar' ? ar : en;
  return table[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? number(value) : value;
  });
}

/**
 * The message for `key` as parts to render, with `{name}` filled from `params`: text, numbers (in
 * the language's digits) or elements (an address kept whole in a `<bdi>`).
 */
export function tParts(key: MessageKey, params: Record<string, string | number | VNode>): (string | VNode)[] {
  const table = lang.value === 'ar' ? ar : en;
  return table[key].split(/\{(\w+)\}/).map((part, i) => {
    if (i % 2 === 0) return part;
    const value = params[part];
    if (value === undefined) return `{${part}}`;
    return typeof value === 'number' ? number(value) : value;
  });
}

/** A whole number in the current language's digits. */
export function number(value: number): string {
  return new Intl.NumberFormat(localeOf(lang.value)).format(value);
}

/**
 * `text` kept whole in its own direction inside a sentence of the other (an email address or an
 * id in Arabic text), between Unicode's first-strong and pop-directional isolates.
 */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}

/**
 * What separates the parts of a label ("Wave Pool · Mon 7 Dec · 10:00"): a middle dot in
 * English, a dash in Arabic, where a dot beside Arabic-Indic digits reads as a zero (٠).
 */
export function sep(): string {
  return lang.value === 'ar' ? ' – ' : ' · ';
}
