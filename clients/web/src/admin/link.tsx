/** A same-origin console link that changes the page without a reload. */
import type { ComponentChildren } from 'preact';
import { navigate, path } from '../router.js';

export function AdminLink(props: { href: string; id?: string; class?: string; children: ComponentChildren }) {
  const current = path.value === props.href || path.value.startsWith(`${props.href}/`);
  return (
    <a
      href={props.href}
      id={props.id}
      class={props.class}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
