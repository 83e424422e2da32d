/**
 * The menu editor's form parts shared by the item and category forms: labelled fields, ticked
 * options, weekday names, and a refusal as the hub gave it.
 */
import { MENU_WEEKDAYS } from '../../../../machines/contract/wire.js';
import type { MenuWeekday } from '../../../../machines/contract/wire.js';
import { lang, localeOf } from '../i18n.js';
import { ta } from './messages.js';
import type { AdminKey } from './messages.js';

/** A refusal as the hub gave it. */
export interface Problem {
  code: string;
  message: string;
}

/** Weekday names through Intl (1 Jan 2023 was a Sunday). */
export function weekdayName(day: MenuWeekday): string {
  const at = Date.UTC(2023, 0, 1 + MENU_WEEKDAYS.indexOf(day), 12);
  return new Intl.DateTimeFormat(localeOf(lang.value), { timeZone: 'UTC', weekday: 'short' }).format(at);
}

/** A labelled input. */
export function Field(props: { id: string; label: AdminKey; value: string; onInput: (value: string) => void; dir?: 'ltr' | 'rtl' | 'auto'; lang?: string; inputMode?: 'decimal' | 'numeric'; disabled?: boolean; type?: 'text' | 'number' | 'time'; list?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{ta(props.label)}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        dir={props.dir ?? 'auto'}
        lang={props.lang}
        inputMode={props.inputMode}
        disabled={props.disabled}
        list={props.list}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

/** Ticked options of a fieldset. */
export function Checks<T extends string>(props: { legend: AdminKey; name: string; options: readonly T[]; chosen: readonly T[]; label: (value: T) => string; onChange: (chosen: T[]) => void }) {
  return (
    <fieldset class="checks" id={`item-${props.name}`}>
      <legend>{ta(props.legend)}</legend>
      {props.options.map((option) => (
        <label key={option} class="check">
          <input
            type="checkbox"
            name={props.name}
            value={option}
            checked={props.chosen.includes(option)}
            onChange={(e) => props.onChange(e.currentTarget.checked ? [...props.chosen, option] : props.chosen.filter((o) => o !== option))}
          />{' '}
          {props.label(option)}
        </label>
      ))}
    </fieldset>
  );
}

/** A refusal: the hub's message and code as they came (a form's own check has no code). */
export function ProblemText(props: { problem: Problem }) {
  const { problem } = props;
  if (problem.code === '') return <>{problem.message}</>;
  return (
    <>
      {ta('menu.refused')} <bdi>{problem.message}</bdi> <bdi>({problem.code})</bdi>
    </>
  );
}
