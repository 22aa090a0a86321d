/** Sending a test event, and recovering every failed message since a date (with the task's progress). */
import { useContext, useState } from 'preact/hooks';
import type { EndpointOut } from 'svix';
import { describeError, isApiError, isUnauthorized, isUnavailable } from '../api.ts';
import { AppContext, AuthContext } from '../ui/context.ts';
import { useInterval } from '../ui/hooks.ts';
import { parseLocalDate } from '../ui/format.ts';
import { Panel } from '../ui/states.tsx';
import { useCatalog } from './event-types.tsx';

export function TestEventPanel({ endpoint, onSent }: { endpoint: EndpointOut; onSent(): void }) {
  const { svix, appId } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const catalog = useCatalog();
  const choices = catalog.types.filter((t) => endpoint.eventTypes == null || endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(t.name));
  const [picked, setPicked] = useState('');
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const eventType = picked !== '' ? picked : (choices[0]?.name ?? '');

  const send = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setStatus(undefined);
    try {
      const msg = await svix.endpoint.sendExample(appId, endpoint.id, { eventType });
      setStatus(`Sent ${msg.id}. Its attempt appears in the log below.`);
      onSent();
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setStatus(
        isUnavailable(e)
          ? 'Test events are not available on this server.'
          : isApiError(e, 403)
            ? 'Sending test events needs the operator\'s access on this server.'
            : describeError(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Send a test event" id="test-event">
      <form class="inline-form" onSubmit={(e) => void send(e)}>
        <label>
          Event type
          <select name="eventType" value={eventType} onChange={(e) => setPicked(e.currentTarget.value)}>
            {choices.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || eventType === ''}>
          Send example
        </button>
      </form>
      {choices.length === 0 && !catalog.loading ? <p class="muted">No event type this endpoint receives has been defined.</p> : null}
      {status === undefined ? null : (
        <p class="note" role="status">
          {status}
        </p>
      )}
    </Panel>
  );
}

function defaultSince(): string {
  const d = new Date(Date.now() - 86_400_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function RecoverPanel({ endpointId, onStarted }: { endpointId: string; onStarted(): void }) {
  const { svix, appId } = useContext(AppContext)!;
  const { onUnauthorized } = useContext(AuthContext);
  const [since, setSince] = useState(defaultSince);
  const [task, setTask] = useState<{ id: string; status: string; data?: unknown } | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  // Follows the background task until it is no longer running.
  useInterval(
    () => {
      if (task === undefined) return;
      svix.backgroundTask.get(task.id).then(
        (t) => {
          setTask({ id: t.id, status: t.status, data: t.data });
          if (t.status !== 'running') onStarted();
        },
        (e: unknown) => {
          setTask({ ...task, status: 'unknown' });
          setNote(isUnavailable(e) ? 'Recovery started; this server does not report its progress.' : describeError(e));
          onStarted();
        },
      );
    },
    1_000,
    task?.status === 'running',
  );

  const recover = async (event: Event): Promise<void> => {
    event.preventDefault();
    const date = parseLocalDate(since);
    if (date === undefined) return setNote('Pick a date and time.');
    setBusy(true);
    setNote(undefined);
    try {
      const out = await svix.endpoint.recover(appId, endpointId, { since: date });
      setTask({ id: out.id, status: out.status });
      onStarted();
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      setNote(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const sent = (task?.data as { messagesSent?: number } | undefined)?.messagesSent;
  return (
    <Panel title="Recover failed messages" id="recover">
      <p class="hint">Sends again every message since this time whose delivery to this endpoint failed and never succeeded.</p>
      <form class="inline-form" onSubmit={(e) => void recover(e)}>
        <label>
          Since
          <input name="since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} required />
        </label>
        <button type="submit" disabled={busy || task?.status === 'running'}>
          Recover
        </button>
      </form>
      {task === undefined ? null : (
        <p class="note" role="status" data-task-status={task.status}>
          Recovery {task.id}: {task.status}
          {sent === undefined ? '' : `, ${sent} messages sent again`}
        </p>
      )}
      {note === undefined ? null : <p class="note">{note}</p>}
    </Panel>
  );
}
