/** The application's messages, newest first, filtered and paginated. */
import { useContext, useState } from 'preact/hooks';
import { AppContext } from '../ui/context.ts';
import { usePages } from '../ui/hooks.ts';
import { formatDate } from '../ui/format.ts';
import { href } from '../router.ts';
import { Empty, ErrorBox, Loading, Pager } from '../ui/states.tsx';
import { EMPTY_FILTER, FilterBar, isUnfiltered, toListOptions, type LogFilter } from './filters.tsx';

const PAGE_SIZE = 25;

export function MessageLog() {
  const { svix, appId, base } = useContext(AppContext)!;
  const [filter, setFilter] = useState<LogFilter>(EMPTY_FILTER);
  const pages = usePages((iterator) => {
    // Messages have no delivery status of their own (each endpoint's attempts do): no status filter here.
    const options = toListOptions(filter);
    delete options.status;
    return svix.message.list(appId, { limit: PAGE_SIZE, iterator: iterator ?? null, ...options });
  }, [appId, filter]);
  return (
    <>
      <div class="toolbar">
        <h2>Messages</h2>
        <button type="button" onClick={pages.reload}>
          Refresh
        </button>
      </div>
      <FilterBar value={filter} onChange={setFilter} withStatus={false} />
      {pages.state === 'error' ? <ErrorBox error={pages.error} retry={pages.reload} /> : null}
      {pages.data === undefined ? (
        <Loading />
      ) : pages.data.data.length === 0 ? (
        <Empty>No messages{isUnfiltered(filter) ? ' yet' : ' match these filters'}.</Empty>
      ) : (
        <ul class="rows" aria-label="Messages">
          {pages.data.data.map((m) => (
            <li key={m.id}>
              <a href={href(...base, 'messages', m.id)} class="row-link">
                <code>{m.eventType}</code>
                <span class="muted">{m.eventId ?? m.id}</span>
              </a>
              <span class="row-meta muted">{formatDate(m.timestamp)}</span>
            </li>
          ))}
        </ul>
      )}
      <Pager label="Messages" pageNumber={pages.pageNumber} hasPrev={pages.hasPrev} hasNext={pages.state === 'ok' && !pages.data.done} prev={pages.prev} next={pages.next} />
    </>
  );
}
