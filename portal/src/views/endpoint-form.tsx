/**
 * Add or edit an endpoint: URL (or an AWS destination's ARN and the role to assume), description, event
 * types, channels, rate limit, ordered delivery, custom headers, enabled. The endpoint itself is read and
 * written with plain fetch (sluice-endpoints.ts) so Sluice's `ordering` and `destination` travel with it.
 */
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isUnauthorized, isUnavailable } from '../api.ts';
import {
  createEndpoint,
  DESTINATION_LABEL,
  destinationTypeOf,
  getEndpoint,
  isArn,
  patchEndpoint,
  type EndpointWrite,
  type SluiceEndpointOut,
} from '../sluice-endpoints.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { splitList } from '../ui/format.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Loading } from '../ui/states.tsx';
import { EventTypePicker } from './event-types.tsx';
import { FieldError, invalidProps, placeErrors } from './form-errors.tsx';

interface HeaderRow {
  name: string;
  value: string;
}

export function EndpointForm({ endpointId }: { endpointId?: string }) {
  const { svix, token, appId, base, permissions } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const [loaded, setLoaded] = useState<SluiceEndpointOut | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [channels, setChannels] = useState('');
  const [throttle, setThrottle] = useState('');
  const [disabled, setDisabled] = useState(false);
  const [fifo, setFifo] = useState(false);
  const [roleArn, setRoleArn] = useState('');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  // undefined until known; false when this Sluice has no headers route (the field is hidden then).
  const [headersSupported, setHeadersSupported] = useState<boolean | undefined>(endpointId === undefined ? true : undefined);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // Set when the endpoint was saved but its headers were not: the form stays, so Save tries both again.
  const [savedWithout, setSavedWithout] = useState<string | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (endpointId === undefined) return;
    getEndpoint(token, appId, endpointId).then(
      (ep) => {
        setLoaded(ep);
        setUrl(ep.url);
        setDescription(ep.description);
        setEventTypes(ep.eventTypes ?? []);
        setChannels((ep.channels ?? []).join(', '));
        setThrottle(ep.throttleRate == null ? '' : String(ep.throttleRate));
        setDisabled(ep.disabled === true);
        setFifo(ep.ordering === 'fifo');
        setRoleArn(ep.destination?.roleArn ?? '');
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

  // After a 422, the first field it names gets the focus (and a screen reader reads its message).
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  if (!permissions.manageEndpoints) return <p>Your access cannot change endpoints.</p>;
  if (loadError !== undefined) return <ErrorBox error={loadError} />;
  if (endpointId !== undefined && loaded === undefined) return <Loading />;

  const headerRecord = (): Record<string, string> =>
    Object.fromEntries(headers.filter((h) => h.name.trim() !== '').map((h) => [h.name.trim(), h.value]));

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setSavedWithout(undefined);
    const target = url.trim();
    const fields: EndpointWrite & { url: string } = {
      url: target,
      description: description.trim(),
      eventTypes: eventTypes.length === 0 ? null : eventTypes,
      channels: splitList(channels).length === 0 ? null : splitList(channels),
      throttleRate: throttle.trim() === '' ? null : Number(throttle),
      disabled,
      ordering: fifo ? 'fifo' : 'unordered',
      // An http(s) URL without `destination` turns an AWS destination back into a URL endpoint.
      ...(isArn(target) ? { destination: { roleArn: roleArn.trim() } } : {}),
    };
    let id = endpointId;
    try {
      if (id === undefined) {
        // One request with every field: a failure leaves no endpoint behind.
        const hs = headerRecord();
        id = (await createEndpoint(token, appId, { ...fields, ...(Object.keys(hs).length === 0 ? {} : { headers: hs }) })).id;
      } else {
        await patchEndpoint(token, appId, id, fields);
      }
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setError(e);
      setSaving(false);
      return;
    }
    if (endpointId !== undefined && headersSupported === true) {
      try {
        await svix.endpoint.setHeaders(appId, id, { headers: headerRecord() });
      } catch (e) {
        if (isUnauthorized(e)) onUnauthorized();
        setSavedWithout(`The endpoint's settings were saved, but its custom headers were not: ${describeError(e)}. Save again to retry.`);
        setSaving(false);
        return;
      }
    }
    navigate(...base, 'endpoints', id);
  };

  // 422 messages go under the field they name; the rest (and a pointer to those) above the buttons.
  const destination = isArn(url);
  const destinationType = destination ? destinationTypeOf(url) : undefined;
  const { field: fieldError, form: formError } = placeErrors(error, {
    url: ['url', ...(destination ? ['destination.arn'] : [])],
    roleArn: destination ? ['destination', 'destination.roleArn'] : [],
    description: ['description'],
    channels: ['channels'],
    throttleRate: ['throttleRate', 'rateLimit'],
    ordering: ['ordering'],
  });

  const setHeader = (i: number, row: HeaderRow): void => setHeaders((hs) => hs.map((h, j) => (j === i ? row : h)));
  return (
    <form ref={formRef} class="form" onSubmit={(e) => void submit(e)} aria-label={endpointId === undefined ? 'New endpoint' : 'Edit endpoint'}>
      <h2>{endpointId === undefined ? 'Add endpoint' : 'Edit endpoint'}</h2>
      <div class="field">
        <label>
          Endpoint URL
          {/* type="url" accepts `arn:…` too (a URL with the scheme "arn"): one field for both kinds. */}
          <input
            name="url"
            type="url"
            required
            placeholder="https://example.com/webhooks"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
            {...invalidProps(fieldError.url, 'url')}
          />
          <span class="hint">
            {!destination
              ? 'An https URL, or the ARN of an SQS queue, SNS topic or EventBridge bus in your AWS account to deliver there instead.'
              : destinationType === undefined
                ? 'AWS destinations are SQS queues (arn:aws:sqs:…), SNS topics (arn:aws:sns:…) and EventBridge buses (arn:aws:events:…:event-bus/…).'
                : `AWS destination: messages are sent to this ${DESTINATION_LABEL[destinationType].long} with the IAM role below.`}
          </span>
        </label>
        <FieldError id="url-error" message={fieldError.url} />
      </div>
      {destination ? (
        <div class="field">
          <label>
            IAM role ARN
            <input
              name="roleArn"
              required
              spellcheck={false}
              autoComplete="off"
              placeholder="arn:aws:iam::111122223333:role/webhooks-delivery"
              value={roleArn}
              onInput={(e) => setRoleArn(e.currentTarget.value)}
              {...invalidProps(fieldError.roleArn, 'roleArn')}
            />
            <span class="hint">
              A role in your AWS account that Sluice assumes to send. Once saved, the endpoint's page shows the external id and the trust policy
              the role needs.
            </span>
          </label>
          <FieldError id="roleArn-error" message={fieldError.roleArn} />
        </div>
      ) : null}
      <div class="field">
        <label>
          Description
          <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} {...invalidProps(fieldError.description, 'description')} />
        </label>
        <FieldError id="description-error" message={fieldError.description} />
      </div>
      <EventTypePicker selected={eventTypes} onChange={setEventTypes} />
      <div class="field">
        <label>
          Channels
          <input
            name="channels"
            placeholder="project_1, project_2"
            value={channels}
            onInput={(e) => setChannels(e.currentTarget.value)}
            {...invalidProps(fieldError.channels, 'channels')}
          />
          <span class="hint">Only messages sent to one of these channels; empty: every channel.</span>
        </label>
        <FieldError id="channels-error" message={fieldError.channels} />
      </div>
      <div class="field">
        <label>
          Rate limit (messages per second)
          <input
            name="throttleRate"
            type="number"
            min="1"
            step="1"
            value={throttle}
            onInput={(e) => setThrottle(e.currentTarget.value)}
            {...invalidProps(fieldError.throttleRate, 'throttleRate')}
          />
          <span class="hint">Empty: no limit.</span>
        </label>
        <FieldError id="throttleRate-error" message={fieldError.throttleRate} />
      </div>
      <div class="field">
        <label class="inline">
          <input
            name="ordering"
            type="checkbox"
            checked={fifo}
            onChange={(e) => setFifo(e.currentTarget.checked)}
            aria-describedby={fieldError.ordering === undefined ? 'ordering-hint' : 'ordering-hint ordering-error'}
            {...(fieldError.ordering === undefined ? {} : { 'aria-invalid': 'true' as const })}
          />
          Ordered delivery (FIFO)
        </label>
        <span class="hint check-hint" id="ordering-hint">
          Messages arrive in the order they were sent, one at a time; a failing message holds back the ones behind it, so throughput is lower.
        </span>
        <FieldError id="ordering-error" message={fieldError.ordering} />
      </div>
      {headersSupported === false ? null : (
        <fieldset>
          <legend>Custom headers</legend>
          {destination ? <p class="hint">Sent with HTTP requests only; an AWS destination gets only the webhook-* signature attributes.</p> : null}
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
      {formError === undefined ? null : (
        <p class="error" role="alert">
          {formError}
        </p>
      )}
      {savedWithout === undefined ? null : (
        <p class="error" role="alert">
          {savedWithout}
        </p>
      )}
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
