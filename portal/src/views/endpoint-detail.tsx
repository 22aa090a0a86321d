/**
 * One endpoint: its settings (ordering included), its AWS destination if it has one, secret, headers,
 * stats, a test event, recovery, and its message log. The endpoint is read with plain fetch so Sluice's
 * `ordering` and `destination` come with it (sluice-endpoints.ts).
 */
import { useContext, useState } from 'preact/hooks';
import { describeError, isUnauthorized } from '../api.ts';
import { DESTINATION_LABEL, getEndpoint } from '../sluice-endpoints.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { useLoad } from '../ui/hooks.ts';
import { formatDate } from '../ui/format.ts';
import { href, navigate } from '../router.ts';
import { Badge, ErrorBox, Loading, Panel } from '../ui/states.tsx';
import { SecretPanel } from './secret-panel.tsx';
import { HeadersPanel, StatsPanel } from './endpoint-extras.tsx';
import { RecoverPanel, TestEventPanel } from './endpoint-actions.tsx';
import { AttemptLog } from './attempt-log.tsx';
import { DestinationPanel } from './destination-panel.tsx';

export function EndpointDetail({ endpointId }: { endpointId: string }) {
  const { svix, token, appId, base, permissions } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const endpoint = useLoad(() => getEndpoint(token, appId, endpointId), [appId, endpointId]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  // Bumped by the test-event and recover panels, so the log shows their attempts without a reload.
  const [logTick, setLogTick] = useState(0);

  if (endpoint.data === undefined) {
    return endpoint.state === 'error' ? <ErrorBox error={endpoint.error} retry={endpoint.reload} /> : <Loading />;
  }
  const ep = endpoint.data;
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setActionError(undefined);
    try {
      await what();
      endpoint.reload();
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = (): void => {
    if (!window.confirm(`Delete the endpoint ${ep.url}? Its webhooks stop at once.`)) return;
    void act(async () => {
      await svix.endpoint.delete(appId, endpointId);
      navigate(...base, 'endpoints');
    });
  };

  return (
    <>
      <p>
        <a href={href(...base, 'endpoints')}>← Endpoints</a>
      </p>
      <div class="toolbar">
        <h2 class="url">{ep.url}</h2>
        <span class="row-meta">
          {ep.disabled === true ? <Badge kind="bad">Disabled</Badge> : <Badge kind="ok">Enabled</Badge>}
          {ep.ordering === 'fifo' ? <Badge kind="info">Ordered (FIFO)</Badge> : null}
          {ep.destination === null ? null : <Badge kind="info">{DESTINATION_LABEL[ep.destination.type]?.long ?? ep.destination.type}</Badge>}
        </span>
      </div>
      <Panel title="Settings" id="settings">
        <dl class="facts">
          <dt>Endpoint id</dt>
          <dd>
            <code>{ep.id}</code>
          </dd>
          <dt>Description</dt>
          <dd>{ep.description === '' ? <span class="muted">none</span> : ep.description}</dd>
          <dt>Event types</dt>
          <dd>{ep.eventTypes == null || ep.eventTypes.length === 0 ? 'All events' : ep.eventTypes.map((t) => <code key={t} class="chip">{t}</code>)}</dd>
          <dt>Channels</dt>
          <dd>{ep.channels == null || ep.channels.length === 0 ? 'All channels' : ep.channels.join(', ')}</dd>
          <dt>Rate limit</dt>
          <dd>{ep.throttleRate == null ? 'None' : `${ep.throttleRate} per second`}</dd>
          <dt>Delivery order</dt>
          <dd>{ep.ordering === 'fifo' ? 'Ordered (FIFO): one message at a time, in the order they were sent' : 'Unordered'}</dd>
          <dt>Created</dt>
          <dd>{formatDate(ep.createdAt)}</dd>
        </dl>
        {permissions.manageEndpoints ? (
          <div class="actions">
            <a class="button" href={href(...base, 'endpoints', endpointId, 'edit')}>
              Edit
            </a>
            <button type="button" disabled={busy} onClick={() => void act(() => svix.endpoint.patch(appId, endpointId, { disabled: ep.disabled !== true }))}>
              {ep.disabled === true ? 'Enable' : 'Disable'}
            </button>
            <button type="button" class="danger" disabled={busy} onClick={remove}>
              Delete
            </button>
          </div>
        ) : null}
        {actionError === undefined ? null : (
          <p class="error" role="alert">
            {actionError}
          </p>
        )}
      </Panel>
      {ep.destination === null ? null : <DestinationPanel destination={ep.destination} />}
      {permissions.viewSecret ? <SecretPanel endpointId={endpointId} /> : null}
      <HeadersPanel endpointId={endpointId} />
      <StatsPanel endpointId={endpointId} refresh={logTick} />
      {permissions.createAttempts ? (
        <>
          <TestEventPanel endpoint={ep} onSent={() => setLogTick((t) => t + 1)} />
          <RecoverPanel endpointId={endpointId} onStarted={() => setLogTick((t) => t + 1)} />
        </>
      ) : null}
      <AttemptLog endpointId={endpointId} refresh={logTick} />
    </>
  );
}
