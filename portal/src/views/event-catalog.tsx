import { EventTypeDetails, groupTypes, useCatalog, CatalogFooter } from './event-types.tsx';
import { Empty } from '../ui/states.tsx';

export function EventCatalog() {
  const catalog = useCatalog();
  return (
    <>
      <h2>Event catalog</h2>
      {!catalog.loading && catalog.types.length === 0 ? <Empty>No event types yet.</Empty> : null}
      {groupTypes(catalog.types).map(([group, types]) => (
        <section class="panel" key={group} aria-label={group}>
          <h3>{group}</h3>
          {types.map((t) => (
            <div class="pick" key={t.name}>
              <code>{t.name}</code>
              {t.description === '' ? null : <p class="muted">{t.description}</p>}
              <EventTypeDetails type={t} />
            </div>
          ))}
        </section>
      ))}
      <CatalogFooter catalog={catalog} />
    </>
  );
}
