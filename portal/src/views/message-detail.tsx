/** One message: its payload, every attempt to every endpoint, and resend. */
import { useContext, useState } from 'preact/hooks';
import { describeError, isUnauthorized, isUnavailable } from '../api.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { useInterval, useLoad, usePages } from '../ui/hooks.ts';
import { formatDate, prettyJson, STATUS_TEXT, statusClass } from '../ui/format.ts';
import { href } from '../router.ts';
import { Badge, Empty, ErrorBox, Loading, Pager, Panel } from '../ui/states.tsx';
import { AttemptList } from './attempt-list.tsx';

const PAGE_SIZE = 20;

export function MessageDetail({ msgId }: { msgId: string }) {
  const { svix, appId, base, permissions } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  // svix v2 leaves the payload out unless asked.
  const message = useLoad(() => svix.message.get(appId, msgId, { withContent: true }), [appId, msgId]);
  const attempts = usePages((iterator) => svix.messageAttempt.listByMsg(appId, msgId, { limit: PAGE_SIZE, iterator: iterator ?? null }), [appId, msgId]);
  const destinations = useLoad(() => svix.messageAttempt.listAttemptedDestinations(appId, msgId, { limit: PAGE_SIZE }), [appId, msgId]);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [watchUntil, setWatchUntil] = useState(0);
  useInterval(
    () => {
      if (Date.now() > watchUntil) setWatchUntil(0);
      else if (attempts.state !== 'loading') attempts.reload();
    },
    1_000,
    watchUntil > 0,
  );

  if (message.data === undefined) {
    return message.state === 'error' ? <ErrorBox error={message.error} retry={message.reload} /> : <Loading />;
  }
  const m = message.data;
  // Endpoints to offer a resend to: those the message was attempted at.
  const attemptedEndpoints = [...new Map((attempts.data?.data ?? []).map((a) => [a.endpointId, a.url])).entries()];
  const resend = async (endpointId: string): Promise<void> => {
    setNote(undefined);
    try {
      await svix.messageAttempt.resend(appId, msgId, endpointId);
      setNote('Resend queued: the new attempt appears below.');
      setWatchUntil(Date.now() + 20_000);
      attempts.reload();
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setNote(describeError(e));
    }
  };

  return (
    <>
      <p>
        <a href={href(...base, 'messages')}>← Messages</a>
      </p>
      <h2>
        <code>{m.eventType}</code>
      </h2>
      <Panel title="Message" id="message">
        <dl class="facts">
          <dt>Message id</dt>
          <dd>
            <code>{m.id}</code>
          </dd>
          <dt>Event id</dt>
          <dd>{m.eventId ?? <span class="muted">none</span>}</dd>
          <dt>Sent</dt>
          <dd>{formatDate(m.timestamp)}</dd>
          <dt>Channels</dt>
          <dd>{m.channels == null || m.channels.length === 0 ? <span class="muted">none</span> : m.channels.join(', ')}</dd>
        </dl>
        <h4>Payload</h4>
        <pre class="payload">{m.payload === undefined || m.payload === null ? '(payload no longer retained)' : prettyJson(m.payload)}</pre>
      </Panel>
      {destinations.state === 'error' && isUnavailable(destinations.error) ? null : (
        <Panel title="Destinations" id="destinations">
          {destinations.data === undefined ? (
            destinations.state === 'error' ? <ErrorBox error={destinations.error} /> : <Loading />
          ) : destinations.data.data.length === 0 ? (
            <Empty>Not attempted at any endpoint yet.</Empty>
          ) : (
            <ul class="rows">
              {destinations.data.data.map((d) => (
                <li key={d.id}>
                  <a href={href(...base, 'endpoints', d.id)} class="row-link url">
                    {d.url}
                  </a>
                  <Badge kind={statusClass(d.status)}>{STATUS_TEXT[d.status] ?? d.statusText}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      )}
      <Panel title="Attempts" id="message-attempts">
        {permissions.createAttempts && attemptedEndpoints.length > 0 ? (
          <div class="actions">
            {attemptedEndpoints.map(([endpointId, url]) => (
              <button type="button" key={endpointId} onClick={() => void resend(endpointId)} aria-label={`Resend to ${url}`}>
                Resend to {url}
              </button>
            ))}
          </div>
        ) : null}
        {note === undefined ? null : (
          <p class="note" role="status">
            {note}
          </p>
        )}
        {attempts.state === 'error' ? <ErrorBox error={attempts.error} retry={attempts.reload} /> : null}
        {attempts.data === undefined ? (
          <Loading />
        ) : attempts.data.data.length === 0 ? (
          <Empty>No attempts yet.</Empty>
        ) : (
          <AttemptList attempts={attempts.data.data} link="endpoint" />
        )}
        <Pager label="Attempts" pageNumber={attempts.pageNumber} hasPrev={attempts.hasPrev} hasNext={attempts.state === 'ok' && !attempts.data.done} prev={attempts.prev} next={attempts.next} />
      </Panel>
    </>
  );
}
