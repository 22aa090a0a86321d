/** One application's portal: endpoints, the message log and the event catalog. */
import { useContext } from 'preact/hooks';
import { AppContext, type AppScope } from '../ui/context.ts';
import { useLoad } from '../ui/hooks.ts';
import { href } from '../router.ts';
import { Badge } from '../ui/states.tsx';
import { EndpointList } from './endpoint-list.tsx';
import { EndpointForm } from './endpoint-form.tsx';
import { EndpointDetail } from './endpoint-detail.tsx';
import { MessageLog } from './message-log.tsx';
import { MessageDetail } from './message-detail.tsx';
import { EventCatalog } from './event-catalog.tsx';

export function AppView({ scope, rest }: { scope: AppScope; rest: string[] }) {
  const app = useLoad(() => scope.svix.application.get(scope.appId), [scope.appId]);
  const section = rest[0] ?? 'endpoints';
  const tab = (name: string, label: string) => (
    <a href={href(...scope.base, name)} class={section === name ? 'tab active' : 'tab'} aria-current={section === name ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <AppContext.Provider value={scope}>
      <div class="app-title">
        <h1>{app.data?.name ?? 'Webhooks'}</h1>
        {scope.permissions.readOnly ? <Badge kind="muted">Read-only</Badge> : null}
      </div>
      <nav class="tabs" aria-label="Sections">
        {tab('endpoints', 'Endpoints')}
        {tab('messages', 'Messages')}
        {tab('event-types', 'Event catalog')}
      </nav>
      <main>
        <Section section={section} rest={rest.slice(1)} />
      </main>
    </AppContext.Provider>
  );
}

function Section({ section, rest }: { section: string; rest: string[] }) {
  const scope = useContext(AppContext)!;
  if (section === 'endpoints') {
    if (rest[0] === 'new') return scope.permissions.manageEndpoints ? <EndpointForm /> : <p>Your access cannot add endpoints.</p>;
    if (rest[0] !== undefined && rest[1] === 'edit') return <EndpointForm endpointId={rest[0]} />;
    if (rest[0] !== undefined) return <EndpointDetail endpointId={rest[0]} />;
    return <EndpointList />;
  }
  if (section === 'messages') return rest[0] === undefined ? <MessageLog /> : <MessageDetail msgId={rest[0]} />;
  if (section === 'event-types') return <EventCatalog />;
  return <p>Nothing here. <a href={href(...scope.base, 'endpoints')}>Back to the endpoints</a></p>;
}
