/**
 * Panels that need routes a Sluice deployment may not have yet (custom headers, stats): a 404 from the
 * route hides the panel's content behind a "not available" line instead of an error.
 */
import { Fragment } from 'preact';
import { useContext } from 'preact/hooks';
import type { EndpointStats } from 'svix';
import { isUnavailable } from '../api.ts';
import { AppContext } from '../ui/context.ts';
import { useLoad } from '../ui/hooks.ts';
import { ErrorBox, Loading, Panel } from '../ui/states.tsx';

export function HeadersPanel({ endpointId }: { endpointId: string }) {
  const { svix, appId } = useContext(AppContext)!;
  const headers = useLoad(() => svix.endpoint.getHeaders(appId, endpointId), [appId, endpointId]);
  let body;
  if (headers.state === 'error') {
    body = isUnavailable(headers.error) ? <p class="muted">Custom headers are not available on this server.</p> : <ErrorBox error={headers.error} />;
  } else if (headers.data === undefined) {
    body = <Loading />;
  } else {
    const entries = Object.entries(headers.data.headers);
    body =
      entries.length === 0 ? (
        <p class="muted">No custom headers. They can be added when editing the endpoint.</p>
      ) : (
        <dl class="facts">
          {entries.map(([name, value]) => (
            <Fragment key={name}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{headers.data!.sensitive.includes(name) ? '••••••' : value}</dd>
            </Fragment>
          ))}
        </dl>
      );
  }
  return (
    <Panel title="Custom headers" id="headers">
      {body}
    </Panel>
  );
}

const DAYS = 7;
const DAY_MS = 86_400_000;

interface DayStats {
  day: Date;
  stats: EndpointStats;
}

/** Success, failure and pending counts for each of the last 7 days, one small stats call per day. */
export function StatsPanel({ endpointId, refresh }: { endpointId: string; refresh: number }) {
  const { svix, appId } = useContext(AppContext)!;
  const stats = useLoad(async (): Promise<DayStats[]> => {
    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const days = Array.from({ length: DAYS }, (_, i) => new Date(today.getTime() - (DAYS - 1 - i) * DAY_MS));
    const now = new Date();
    // `until` may not be in the future (Svix's rule), so today's window ends now.
    const dayStats = async (day: Date): Promise<DayStats> => ({
      day,
      stats: await svix.endpoint.getStats(appId, endpointId, { since: day, until: new Date(Math.min(day.getTime() + DAY_MS, now.getTime())) }),
    });
    // Today first, alone: on a server without the stats route that is the only request that fails.
    const last = await dayStats(days[DAYS - 1]!);
    return [...(await Promise.all(days.slice(0, -1).map(dayStats))), last];
  }, [appId, endpointId, refresh]);
  let body;
  if (stats.state === 'error') {
    body = isUnavailable(stats.error) ? <p class="muted">Statistics are not available on this server.</p> : <ErrorBox error={stats.error} />;
  } else if (stats.data === undefined) {
    body = <Loading />;
  } else {
    body = <StatsChart days={stats.data} />;
  }
  return (
    <Panel title="Deliveries, last 7 days" id="stats">
      {body}
    </Panel>
  );
}

const CHART = { width: 560, height: 160, pad: 24 };

function StatsChart({ days }: { days: DayStats[] }) {
  const totals = days.map((d) => d.stats.success + d.stats.fail + d.stats.pending + d.stats.sending);
  const max = Math.max(1, ...totals);
  const slot = (CHART.width - CHART.pad) / days.length;
  const barWidth = Math.max(8, slot * 0.6);
  const scale = (n: number): number => (n / max) * (CHART.height - CHART.pad);
  const sum = (key: 'success' | 'fail' | 'pending') => days.reduce((n, d) => n + d.stats[key] + (key === 'pending' ? d.stats.sending : 0), 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={`Last 7 days: ${sum('success')} succeeded, ${sum('fail')} failed, ${sum('pending')} pending`}>
        {days.map((d, i) => {
          const x = CHART.pad + i * slot + (slot - barWidth) / 2;
          let y = CHART.height - CHART.pad;
          const parts: [string, number][] = [
            ['ok', d.stats.success],
            ['bad', d.stats.fail],
            ['wait', d.stats.pending + d.stats.sending],
          ];
          return (
            <g key={d.day.toISOString()}>
              {parts.map(([kind, n]) => {
                const h = scale(n);
                y -= h;
                return n === 0 ? null : <rect key={kind} class={`bar ${kind}`} x={x} y={y} width={barWidth} height={h} />;
              })}
              <text x={x + barWidth / 2} y={CHART.height - 6} text-anchor="middle" class="axis">
                {d.day.toLocaleDateString(undefined, { weekday: 'short' })}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="legend ok">Succeeded {sum('success')}</span>
        <span class="legend bad">Failed {sum('fail')}</span>
        <span class="legend wait">Pending {sum('pending')}</span>
      </figcaption>
    </figure>
  );
}
