/** The application's endpoints, a page at a time (plain fetch: the badges need Sluice's extension fields). */
import { useContext } from 'preact/hooks';
import { DESTINATION_LABEL, listEndpoints } from '../sluice-endpoints.ts';
import { AppContext } from '../ui/context.ts';
import { usePages } from '../ui/hooks.ts';
import { href } from '../router.ts';
import { Badge, Empty, ErrorBox, Loading, Pager } from '../ui/states.tsx';

const PAGE_SIZE = 20;

export function EndpointList() {
  const { token, appId, permissions, base } = useContext(AppContext)!;
  const pages = usePages((iterator) => listEndpoints(token, appId, { limit: PAGE_SIZE, iterator }), [appId]);
  return (
    <>
      <div class="toolbar">
        <h2>Endpoints</h2>
        {permissions.manageEndpoints ? (
          <a class="button primary" href={href(...base, 'endpoints', 'new')}>
            Add endpoint
          </a>
        ) : null}
      </div>
      {pages.state === 'error' ? <ErrorBox error={pages.error} retry={pages.reload} /> : null}
      {pages.data === undefined ? (
        pages.state === 'loading' ? <Loading /> : null
      ) : pages.data.data.length === 0 ? (
        <Empty>No endpoints yet.{permissions.manageEndpoints ? ' Add one to start receiving webhooks.' : ''}</Empty>
      ) : (
        <ul class="rows" aria-label="Endpoints">
          {pages.data.data.map((ep) => (
            <li key={ep.id}>
              <a href={href(...base, 'endpoints', ep.id)} class="row-link">
                <span class="url">{ep.url}</span>
                <span class="muted">{ep.description}</span>
              </a>
              <span class="row-meta">
                {ep.disabled === true ? <Badge kind="bad">Disabled</Badge> : <Badge kind="ok">Enabled</Badge>}
                {ep.ordering === 'fifo' ? <Badge kind="info" title="Ordered delivery (FIFO)">Ordered</Badge> : null}
                {ep.destination === null ? null : <Badge kind="info">{DESTINATION_LABEL[ep.destination.type]?.short ?? ep.destination.type}</Badge>}
                <span class="muted">{ep.eventTypes == null || ep.eventTypes.length === 0 ? 'All events' : `${ep.eventTypes.length} event types`}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pager
        label="Endpoints"
        pageNumber={pages.pageNumber}
        hasPrev={pages.hasPrev}
        hasNext={pages.state === 'ok' && !pages.data.done}
        prev={pages.prev}
        next={pages.next}
      />
    </>
  );
}
