/**
 * The operator console (admin token): every application, a message search across applications,
 * endpoints that need attention, dead-letter queue depth, and a way into any application's portal.
 * The admin token lives in this tab's memory only (session.ts).
 */
import { useMemo, useState } from 'preact/hooks';
import type { ApplicationOut, Svix } from 'svix';
import { describeError, fetchQueueDepths, isApiError, isUnauthorized, isUnavailable, svixClient } from '../api.ts';
import { ADMIN_PERMISSIONS, getAdminToken, setAdminToken } from '../session.ts';
import { useLoad, usePages } from '../ui/hooks.ts';
import { href } from '../router.ts';
import { Badge, Empty, ErrorBox, Loading, Pager, Panel } from '../ui/states.tsx';
import { AppView } from './app-view.tsx';

export function Console({ rest }: { rest: string[] }) {
  const [token, setToken] = useState(getAdminToken);
  const svix = useMemo(() => (token === undefined ? undefined : svixClient(token)), [token]);
  if (token === undefined || svix === undefined) {
    return (
      <AdminLogin
        onToken={(t) => {
          setAdminToken(t);
          setToken(t);
        }}
      />
    );
  }
  const signOut = (): void => {
    setAdminToken(undefined);
    setToken(undefined);
  };
  if (rest[0] === 'app' && rest[1] !== undefined) {
    return (
      <>
        <p class="crumbs">
          <a href={href('console')}>← Operator console</a>
        </p>
        <AppView scope={{ svix, token, appId: rest[1], permissions: ADMIN_PERMISSIONS, base: ['console', 'app', rest[1]] }} rest={rest.slice(2)} />
      </>
    );
  }
  return <ConsoleHome svix={svix} token={token} onSignOut={signOut} />;
}

function AdminLogin({ onToken }: { onToken(token: string): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // Any admin-only call proves the token; listing one application is the cheapest.
      await svixClient(value.trim()).application.list({ limit: 1 });
      onToken(value.trim());
    } catch (e) {
      setError(isApiError(e, 401) || isApiError(e, 403) ? 'That is not the admin token.' : describeError(e));
      setBusy(false);
    }
  };
  return (
    <form class="form narrow" onSubmit={(e) => void submit(e)} aria-label="Operator sign-in">
      <h1>Operator console</h1>
      <p class="hint">The admin token is kept in this tab's memory only: closing or reloading the tab forgets it.</p>
      <label>
        Admin token
        <input name="adminToken" type="password" autocomplete="off" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      {error === undefined ? null : (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        Open the console
      </button>
    </form>
  );
}

const APP_PAGE = 20;

function ConsoleHome({ svix, token, onSignOut }: { svix: Svix; token: string; onSignOut(): void }) {
  const apps = usePages((iterator) => svix.application.list({ limit: APP_PAGE, iterator: iterator ?? null }), []);
  return (
    <>
      <div class="toolbar">
        <h1>Operator console</h1>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
      <MessageSearch svix={svix} />
      <QueuesPanel token={token} />
      <Panel title="Applications" id="apps">
        {apps.state === 'error' ? <ErrorBox error={apps.error} retry={apps.reload} /> : null}
        {apps.data === undefined ? (
          <Loading />
        ) : apps.data.data.length === 0 ? (
          <Empty>No applications yet.</Empty>
        ) : (
          <ul class="rows" aria-label="Applications">
            {apps.data.data.map((app) => (
              <AppRow key={app.id} svix={svix} app={app} />
            ))}
          </ul>
        )}
        <Pager label="Applications" pageNumber={apps.pageNumber} hasPrev={apps.hasPrev} hasNext={apps.state === 'ok' && !apps.data.done} prev={apps.prev} next={apps.next} />
      </Panel>
      {apps.data === undefined || apps.data.data.length === 0 ? null : <AttentionPanel svix={svix} apps={apps.data.data} />}
    </>
  );
}

function AppRow({ svix, app }: { svix: Svix; app: ApplicationOut }) {
  const [link, setLink] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const customerLink = async (): Promise<void> => {
    try {
      setLink((await svix.authentication.appPortalAccess(app.id, {})).url);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <li data-app-id={app.id}>
      <a href={href('console', 'app', app.id)} class="row-link">
        <span>{app.name}</span>
        <span class="muted">
          <code>{app.uid ?? app.id}</code>
        </span>
      </a>
      <span class="row-meta">
        <button type="button" onClick={() => void customerLink()}>
          Customer link
        </button>
      </span>
      {link === undefined ? null : (
        <label class="full">
          Portal link for {app.name} (valid 7 days)
          <input readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
      {error === undefined ? null : <p class="error">{error}</p>}
    </li>
  );
}

interface Found {
  app: ApplicationOut;
  msgId: string;
  eventType: string;
}

/** Looks the id up in every application, a page of applications at a time (ids and eventIds are per app). */
function MessageSearch({ svix }: { svix: Svix }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[] | undefined>(undefined);
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const search = async (event: Event): Promise<void> => {
    event.preventDefault();
    const id = query.trim();
    if (id === '') return;
    setFound(undefined);
    setError(undefined);
    const hits: Found[] = [];
    let iterator: string | null = null;
    let scanned = 0;
    try {
      for (;;) {
        const page = await svix.application.list({ limit: 50, iterator });
        const results = await Promise.all(
          page.data.map((app) =>
            svix.message.get(app.id, id).then(
              (m) => ({ app, msgId: m.id, eventType: m.eventType }),
              (e: unknown) => {
                if (isApiError(e, 404)) return undefined;
                throw e;
              },
            ),
          ),
        );
        hits.push(...results.filter((r): r is Found => r !== undefined));
        scanned += page.data.length;
        setProgress(`Searched ${scanned} applications…`);
        if (page.done || page.iterator == null) break;
        iterator = page.iterator;
      }
      setFound(hits);
      setProgress(`Searched ${scanned} applications.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Panel title="Find a message" id="search">
      <form class="inline-form" onSubmit={(e) => void search(e)} role="search">
        <label>
          Message id or event id
          <input name="messageQuery" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="msg_… or your eventId" />
        </label>
        <button type="submit">Search</button>
      </form>
      {progress === undefined ? null : <p class="muted">{progress}</p>}
      {error === undefined ? null : <ErrorBox error={error} />}
      {found === undefined ? null : found.length === 0 ? (
        <Empty>No application has a message with that id.</Empty>
      ) : (
        <ul class="rows" aria-label="Search results">
          {found.map((f) => (
            <li key={`${f.app.id}/${f.msgId}`}>
              <a href={href('console', 'app', f.app.id, 'messages', f.msgId)} class="row-link">
                <code>{f.eventType}</code>
                <span class="muted">
                  {f.msgId} in {f.app.name}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function QueuesPanel({ token }: { token: string }) {
  const queues = useLoad(() => fetchQueueDepths(token), [token]);
  return (
    <Panel title="Queues" id="queues">
      {queues.state === 'error' ? <ErrorBox error={queues.error} retry={queues.reload} /> : null}
      {queues.data === undefined && queues.state === 'loading' ? <Loading /> : null}
      {queues.state === 'ok' && queues.data === undefined ? <p class="muted">Queue depths are not available on this server.</p> : null}
      {queues.data === undefined ? null : (
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Waiting</th>
              <th scope="col">In flight</th>
              <th scope="col">Delayed</th>
              <th scope="col">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {queues.data.map((q) => (
              <tr key={q.name}>
                <th scope="row">{q.name}</th>
                <td>{q.visible}</td>
                <td>{q.inFlight}</td>
                <td>{q.delayed}</td>
                <td>{q.dlqVisible > 0 ? <Badge kind="bad">{q.dlqVisible}</Badge> : 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

interface Attention {
  app: ApplicationOut;
  endpointId: string;
  url: string;
  reason: 'disabled' | 'failing';
}

/** Disabled endpoints, and endpoints whose last day has failures and no success (when stats exist). */
function AttentionPanel({ svix, apps }: { svix: Svix; apps: ApplicationOut[] }) {
  const rows = useLoad(async (): Promise<Attention[]> => {
    const since = new Date(Date.now() - 86_400_000);
    let statsAvailable = true;
    const perApp = await Promise.all(
      apps.map(async (app) => {
        const endpoints = await svix.endpoint.list(app.id, { limit: 50 });
        return Promise.all(
          endpoints.data.map(async (ep): Promise<Attention | undefined> => {
            if (ep.disabled === true) return { app, endpointId: ep.id, url: ep.url, reason: 'disabled' };
            if (!statsAvailable) return undefined;
            try {
              const s = await svix.endpoint.getStats(app.id, ep.id, { since });
              return s.fail > 0 && s.success === 0 ? { app, endpointId: ep.id, url: ep.url, reason: 'failing' } : undefined;
            } catch (e) {
              if (isUnavailable(e)) statsAvailable = false;
              else if (isUnauthorized(e)) throw e;
              return undefined;
            }
          }),
        );
      }),
    );
    return perApp.flat().filter((r): r is Attention => r !== undefined);
  }, [apps.map((a) => a.id).join(',')]);
  return (
    <Panel title="Endpoints needing attention (applications on this page)" id="attention">
      {rows.state === 'error' ? <ErrorBox error={rows.error} retry={rows.reload} /> : null}
      {rows.data === undefined ? (
        rows.state === 'loading' ? <Loading /> : null
      ) : rows.data.length === 0 ? (
        <Empty>Every endpoint is enabled and none is failing.</Empty>
      ) : (
        <ul class="rows" aria-label="Endpoints needing attention">
          {rows.data.map((r) => (
            <li key={r.endpointId}>
              <a href={href('console', 'app', r.app.id, 'endpoints', r.endpointId)} class="row-link">
                <span class="url">{r.url}</span>
                <span class="muted">{r.app.name}</span>
              </a>
              <Badge kind="bad">{r.reason === 'disabled' ? 'Disabled' : 'Failing'}</Badge>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
