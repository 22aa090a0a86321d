/** An endpoint's attempt log, filtered and paginated; it watches for new attempts after a test or recovery. */
import { useContext, useEffect, useState } from 'preact/hooks';
import { AppContext } from '../ui/context.ts';
import { useInterval, usePages } from '../ui/hooks.ts';
import { Empty, ErrorBox, Loading, Pager, Panel } from '../ui/states.tsx';
import { AttemptList } from './attempt-list.tsx';
import { EMPTY_FILTER, FilterBar, isUnfiltered, toListOptions, type LogFilter } from './filters.tsx';

const PAGE_SIZE = 20;
/** After a test event or a recovery, look for its attempts every second for this long. */
const WATCH_MS = 20_000;

export function AttemptLog({ endpointId, refresh }: { endpointId: string; refresh: number }) {
  const { svix, appId } = useContext(AppContext)!;
  const [filter, setFilter] = useState<LogFilter>(EMPTY_FILTER);
  const [watchUntil, setWatchUntil] = useState(0);
  const pages = usePages(
    (iterator) => svix.messageAttempt.listByEndpoint(appId, endpointId, { limit: PAGE_SIZE, iterator: iterator ?? null, withMsg: true, ...toListOptions(filter) }),
    [appId, endpointId, filter],
  );
  useEffect(() => {
    if (refresh === 0) return;
    setWatchUntil(Date.now() + WATCH_MS);
    pages.reload();
  }, [refresh]);
  useInterval(
    () => {
      if (Date.now() > watchUntil) setWatchUntil(0);
      else if (pages.state !== 'loading') pages.reload();
    },
    1_000,
    watchUntil > 0 && !pages.hasPrev,
  );
  return (
    <Panel title="Message attempts" id="attempts">
      <FilterBar value={filter} onChange={setFilter} withStatus />
      {pages.state === 'error' ? <ErrorBox error={pages.error} retry={pages.reload} /> : null}
      {pages.data === undefined ? (
        <Loading />
      ) : pages.data.data.length === 0 ? (
        <Empty>No attempts{isUnfiltered(filter) ? ' yet' : ' match these filters'}.</Empty>
      ) : (
        <AttemptList attempts={pages.data.data} link="message" />
      )}
      <Pager label="Attempts" pageNumber={pages.pageNumber} hasPrev={pages.hasPrev} hasNext={pages.state === 'ok' && !pages.data.done} prev={pages.prev} next={pages.next} />
    </Panel>
  );
}
