/** Attempt rows: status, response code, duration, trigger, and the response body on demand. */
import type { MessageAttemptOut } from 'svix';
import { useContext } from 'preact/hooks';
import { AppContext } from '../ui/context.ts';
import { formatDate, STATUS_TEXT, statusClass, TRIGGER_TEXT } from '../ui/format.ts';
import { href } from '../router.ts';
import { Badge } from '../ui/states.tsx';

export function AttemptList({ attempts, link }: { attempts: MessageAttemptOut[]; link: 'message' | 'endpoint' }) {
  const { base } = useContext(AppContext)!;
  return (
    <ul class="rows attempts" aria-label="Attempts">
      {attempts.map((a) => (
        <li key={a.id} data-attempt-id={a.id}>
          <details>
            <summary>
              <Badge kind={statusClass(a.status)}>{STATUS_TEXT[a.status] ?? a.statusText}</Badge>
              <span class="code" title="Response status code">
                {a.responseStatusCode === 0 ? 'no response' : `HTTP ${a.responseStatusCode}`}
              </span>
              <span class="muted">{formatDate(a.timestamp)}</span>
              <span class="muted">{a.responseDurationMs} ms</span>
              <span class="muted">{TRIGGER_TEXT[a.triggerType] ?? a.triggerType}</span>
              {link === 'message' ? (
                <a href={href(...base, 'messages', a.msgId)}>
                  <code>{a.msg?.eventType ?? a.msgId}</code>
                </a>
              ) : (
                <a href={href(...base, 'endpoints', a.endpointId)} class="url">
                  {a.url}
                </a>
              )}
            </summary>
            <dl class="facts">
              <dt>Attempt</dt>
              <dd>
                <code>{a.id}</code>
              </dd>
              <dt>URL</dt>
              <dd class="url">{a.url}</dd>
              <dt>Response body</dt>
              <dd>
                <pre class="response">{a.response === '' ? '(empty)' : a.response}</pre>
              </dd>
            </dl>
          </details>
        </li>
      ))}
    </ul>
  );
}
