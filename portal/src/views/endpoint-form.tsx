/** Add or edit an endpoint: URL, description, event types, channels, rate limit, custom headers, enabled. */
import { useContext, useEffect, useState } from 'preact/hooks';
import type { EndpointOut } from 'svix';
import { isUnauthorized, isUnavailable } from '../api.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { splitList } from '../ui/format.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Loading } from '../ui/states.tsx';
import { EventTypePicker } from './event-types.tsx';

interface HeaderRow {
  name: string;
  value: string;
}

export function EndpointForm({ endpointId }: { endpointId?: string }) {
  const { svix, appId, base, permissions } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const [loaded, setLoaded] = useState<EndpointOut | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [channels, setChannels] = useState('');
  const [throttle, setThrottle] = useState('');
  const [disabled, setDisabled] = useState(false);
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  // undefined until known; false when this Sluice has no headers route (the field is hidden then).
  const [headersSupported, setHeadersSupported] = useState<boolean | undefined>(endpointId === undefined ? true : undefined);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    if (endpointId === undefined) return;
    svix.endpoint.get(appId, endpointId).then(
      (ep) => {
        setLoaded(ep);
        setUrl(ep.url);
        setDescription(ep.description);
        setEventTypes(ep.eventTypes ?? []);
        setChannels((ep.channels ?? []).join(', '));
        setThrottle(ep.throttleRate == null ? '' : String(ep.throttleRate));
        setDisabled(ep.disabled === true);
      },
      (e: unknown) => {
        if (isUnauthorized(e)) onUnauthorized();
        setLoadError(e);
      },
    );
    svix.endpoint.getHeaders(appId, endpointId).then(
      (h) => {
        setHeaders(Object.entries(h.headers).map(([name, value]) => ({ name, value })));
        setHeadersSupported(true);
      },
      (e: unknown) => setHeadersSupported(isUnavailable(e) ? false : true),
    );
  }, [appId, endpointId]);

  if (!permissions.manageEndpoints) return <p>Your access cannot change endpoints.</p>;
  if (loadError !== undefined) return <ErrorBox error={loadError} />;
  if (endpointId !== undefined && loaded === undefined) return <Loading />;

  const headerRecord = (): Record<string, string> =>
    Object.fromEntries(headers.filter((h) => h.name.trim() !== '').map((h) => [h.name.trim(), h.value]));

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    const fields = {
      url: url.trim(),
      description: description.trim(),
      eventTypes: eventTypes.length === 0 ? null : eventTypes,
      channels: splitList(channels).length === 0 ? null : splitList(channels),
      throttleRate: throttle.trim() === '' ? null : Number(throttle),
      disabled,
    };
    try {
      let id = endpointId;
      if (id === undefined) {
        const hs = headerRecord();
        const created = await svix.endpoint.create(appId, { ...fields, ...(Object.keys(hs).length === 0 ? {} : { headers: hs }) });
        id = created.id;
      } else {
        await svix.endpoint.patch(appId, id, fields);
        if (headersSupported === true) await svix.endpoint.setHeaders(appId, id, { headers: headerRecord() });
      }
      navigate(...base, 'endpoints', id);
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setError(e);
      setSaving(false);
    }
  };

  const setHeader = (i: number, row: HeaderRow): void => setHeaders((hs) => hs.map((h, j) => (j === i ? row : h)));
  return (
    <form class="form" onSubmit={(e) => void submit(e)} aria-label={endpointId === undefined ? 'New endpoint' : 'Edit endpoint'}>
      <h2>{endpointId === undefined ? 'Add endpoint' : 'Edit endpoint'}</h2>
      <label>
        Endpoint URL
        <input name="url" type="url" required placeholder="https://example.com/webhooks" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <label>
        Description
        <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <EventTypePicker selected={eventTypes} onChange={setEventTypes} />
      <label>
        Channels
        <input name="channels" placeholder="project_1, project_2" value={channels} onInput={(e) => setChannels(e.currentTarget.value)} />
        <span class="hint">Only messages sent to one of these channels; empty: every channel.</span>
      </label>
      <label>
        Rate limit (messages per second)
        <input name="throttleRate" type="number" min="1" step="1" value={throttle} onInput={(e) => setThrottle(e.currentTarget.value)} />
        <span class="hint">Empty: no limit.</span>
      </label>
      {headersSupported === false ? null : (
        <fieldset>
          <legend>Custom headers</legend>
          {headers.map((h, i) => (
            <div class="header-row" key={i}>
              <input aria-label={`Header ${i + 1} name`} placeholder="X-Example" value={h.name} onInput={(e) => setHeader(i, { ...h, name: e.currentTarget.value })} />
              <input aria-label={`Header ${i + 1} value`} placeholder="value" value={h.value} onInput={(e) => setHeader(i, { ...h, value: e.currentTarget.value })} />
              <button type="button" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders((hs) => hs.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setHeaders((hs) => [...hs, { name: '', value: '' }])}>
            Add header
          </button>
        </fieldset>
      )}
      <label class="inline">
        <input name="disabled" type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
        Disabled (no webhooks are sent)
      </label>
      {error === undefined ? null : <ErrorBox error={error} />}
      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? 'Saving…' : endpointId === undefined ? 'Create' : 'Save'}
        </button>
        <a class="button" href={`#/${[...base, 'endpoints', ...(endpointId === undefined ? [] : [endpointId])].map(encodeURIComponent).join('/')}`}>
          Cancel
        </a>
      </div>
    </form>
  );
}
