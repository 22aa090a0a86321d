/** Loading, empty and error states, and the pager every list uses. */
import type { ComponentChildren } from 'preact';
import { describeError } from '../api.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div class="error" role="alert">
      <span>{describeError(error)}</span>
      {retry === undefined ? null : (
        <button type="button" class="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Pager(props: { pageNumber: number; hasPrev: boolean; hasNext: boolean; prev(): void; next(): void; label: string }) {
  if (!props.hasPrev && !props.hasNext) return null;
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={props.prev} disabled={!props.hasPrev}>
        ← Previous
      </button>
      <span class="muted">Page {props.pageNumber}</span>
      <button type="button" onClick={props.next} disabled={!props.hasNext}>
        Next →
      </button>
    </nav>
  );
}

/** A titled box; `unavailable` when this Sluice has no route for it yet. */
export function Panel({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="panel" aria-labelledby={id === undefined ? undefined : `${id}-title`} id={id}>
      <h3 id={id === undefined ? undefined : `${id}-title`}>{title}</h3>
      {children}
    </section>
  );
}

export function Badge({ kind, children, title }: { kind: 'ok' | 'bad' | 'wait' | 'muted' | 'info'; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge ${kind}`} title={title}>
      {children}
    </span>
  );
}
