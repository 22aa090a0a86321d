/** The event catalog, loaded a page at a time, grouped by prefix (`invoice.paid` under "invoice"). */
import { useContext, useEffect, useState } from 'preact/hooks';
import type { EventTypeOut } from 'svix';
import { isUnauthorized } from '../api.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { eventGroup, prettyJson } from '../ui/format.ts';
import { ErrorBox, Loading } from '../ui/states.tsx';

const PAGE_SIZE = 50;

export interface Catalog {
  types: EventTypeOut[];
  loading: boolean;
  error: unknown;
  done: boolean;
  loadMore(): void;
}

export function useCatalog(): Catalog {
  const { svix } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const [types, setTypes] = useState<EventTypeOut[]>([]);
  const [iterator, setIterator] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [wanted, setWanted] = useState(1);
  useEffect(() => {
    let live = true;
    setLoading(true);
    svix.eventType.list({ limit: PAGE_SIZE, iterator, withContent: true }).then(
      (page) => {
        if (!live) return;
        setTypes((t) => [...t, ...page.data.filter((e) => e.archived !== true)]);
        setIterator(page.iterator ?? null);
        setDone(page.done || page.iterator == null);
        setLoading(false);
      },
      (e: unknown) => {
        if (isUnauthorized(e)) onUnauthorized();
        if (live) {
          setError(e);
          setLoading(false);
        }
      },
    );
    return () => {
      live = false;
    };
    // Each "load more" asks for one more page.
  }, [wanted]);
  return { types, loading, error, done, loadMore: () => setWanted((w) => w + 1) };
}

export function groupTypes(types: EventTypeOut[]): [string, EventTypeOut[]][] {
  const groups = new Map<string, EventTypeOut[]>();
  for (const t of types) {
    const g = t.groupName ?? eventGroup(t.name);
    groups.set(g, [...(groups.get(g) ?? []), t]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The first example a schema carries (Svix keeps schemas per version: `{"1": {…, examples: […]}}`). */
export function exampleOf(type: EventTypeOut): unknown {
  const schemas = type.schemas as Record<string, { examples?: unknown[] }> | null | undefined;
  if (schemas == null) return undefined;
  for (const schema of Object.values(schemas)) {
    if (Array.isArray(schema?.examples) && schema.examples.length > 0) return schema.examples[0];
  }
  return undefined;
}

export function EventTypeDetails({ type }: { type: EventTypeOut }) {
  const example = exampleOf(type);
  if (type.schemas == null && example === undefined) return null;
  return (
    <details class="schema">
      <summary>Schema and example</summary>
      {example === undefined ? null : (
        <>
          <h5>Example payload</h5>
          <pre>{prettyJson(example)}</pre>
        </>
      )}
      {type.schemas == null ? null : (
        <>
          <h5>JSON schema</h5>
          <pre>{prettyJson(type.schemas)}</pre>
        </>
      )}
    </details>
  );
}

export function CatalogFooter({ catalog }: { catalog: Catalog }) {
  return (
    <>
      {catalog.error === undefined ? null : <ErrorBox error={catalog.error} />}
      {catalog.loading ? <Loading label="Loading event types…" /> : null}
      {!catalog.loading && !catalog.done ? (
        <button type="button" onClick={catalog.loadMore}>
          Load more event types
        </button>
      ) : null}
    </>
  );
}

/** Checkboxes for picking the event types an endpoint receives (none picked: all of them). */
export function EventTypePicker({ selected, onChange }: { selected: string[]; onChange(next: string[]): void }) {
  const catalog = useCatalog();
  const toggle = (name: string, on: boolean): void => onChange(on ? [...selected, name] : selected.filter((s) => s !== name));
  const unknown = selected.filter((s) => !catalog.types.some((t) => t.name === s));
  return (
    <fieldset class="picker">
      <legend>Event types</legend>
      <p class="hint">Pick none to receive every event.</p>
      {groupTypes(catalog.types).map(([group, types]) => (
        <div class="group" key={group}>
          <h4>{group}</h4>
          {types.map((t) => (
            <div class="pick" key={t.name}>
              <label>
                <input type="checkbox" name="eventTypes" value={t.name} checked={selected.includes(t.name)} onChange={(e) => toggle(t.name, e.currentTarget.checked)} />
                <code>{t.name}</code>
                {t.deprecated ? <span class="muted"> (deprecated)</span> : null}
              </label>
              {t.description === '' ? null : <p class="muted">{t.description}</p>}
              <EventTypeDetails type={t} />
            </div>
          ))}
        </div>
      ))}
      {unknown.map((name) => (
        <label key={name} class="pick">
          <input type="checkbox" checked onChange={() => toggle(name, false)} />
          <code>{name}</code>
        </label>
      ))}
      {!catalog.loading && catalog.types.length === 0 ? <p class="muted">No event types in the catalog.</p> : null}
      <CatalogFooter catalog={catalog} />
    </fieldset>
  );
}
