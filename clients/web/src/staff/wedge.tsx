/**
 * Keyboard-wedge readers (RFID band readers, handheld QR scanners) type what they read and press
 * Enter. The reader field takes it when it has the focus; when the focus is on nothing in
 * particular (the page body after a tap), keys typed are gathered and delivered the same way, so
 * a reader works without anyone clicking into the field first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

/** A labelled reader field; `onRead` gets each entry (trimmed, non-empty) and the field clears. */
export function WedgeField(props: { id: string; label: string; hint: string; onRead: (text: string) => void; disabled?: boolean; autoFocus?: boolean }) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const onRead = useRef(props.onRead);
  onRead.current = props.onRead;

  useEffect(() => {
    if (props.autoFocus) input.current?.focus();
    let typed = '';
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      // Keys meant for a field, a button or a radio group stay there.
      if (target && target !== document.body && target.tagName !== 'MAIN' && target.tagName !== 'SECTION') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Enter') {
        const text = typed.trim();
        typed = '';
        if (text !== '') {
          event.preventDefault();
          onRead.current(text);
        }
      } else if (event.key.length === 1) {
        typed += event.key;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [props.autoFocus]);

  return (
    <form
      class="wedge"
      onSubmit={(event) => {
        event.preventDefault();
        const text = value.trim();
        setValue('');
        if (text !== '') props.onRead(text);
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input
        ref={input}
        id={props.id}
        type="text"
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        enterKeyHint="go"
        aria-describedby={`${props.id}-hint`}
        value={value}
        disabled={props.disabled}
        onInput={(event) => setValue((event.target as HTMLInputElement).value)}
      />
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
    </form>
  );
}
