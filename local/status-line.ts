/**
 * The live status line `npm start` prints every few seconds: what the local functions recorded (the
 * same metric calls that write EMF on AWS, read back from the Prometheus registry) and the queues'
 * depths (the same port GET /api/v1/ops/queues reads). A line is printed only when something changed,
 * so an idle stack stays quiet and log lines in between stay readable.
 */
import type { PrometheusMetrics } from '../functions/adapters/metrics/prometheus.ts';
import type { QueueStat, QueueStats } from '../functions/core/queues/queue-stats.ts';

export interface StatusSnapshot {
  published: number;
  delivered: number;
  failedAttempts: number;
  retries: number;
  exhausted: number;
  queues: QueueStat[];
}

export async function readStatus(metrics: PrometheusMetrics, queues: QueueStats): Promise<StatusSnapshot> {
  const [published, delivered, attempts, retries, exhausted, stats] = await Promise.all([
    metrics.total('MessagesPublished'),
    metrics.total('Attempts', { outcome: 'success' }),
    metrics.total('Attempts'),
    metrics.total('RetriesScheduled'),
    metrics.total('Exhausted'),
    queues.read().catch(() => []),
  ]);
  return { published, delivered, failedAttempts: attempts - delivered, retries, exhausted, queues: stats };
}

export function formatStatus(s: StatusSnapshot, at: Date): string {
  const time = at.toISOString().slice(11, 19);
  const queue = (q: QueueStat): string => {
    const extra = [q.inFlight > 0 ? `${q.inFlight} in flight` : '', q.delayed > 0 ? `${q.delayed} delayed` : ''].filter((x) => x !== '');
    return `${q.name} ${q.visible}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
  };
  const dlq = s.queues.reduce((sum, q) => sum + q.dlqVisible, 0);
  return [
    `[${time}] published ${s.published}`,
    `delivered ${s.delivered}`,
    `failed attempts ${s.failedAttempts}`,
    `retries ${s.retries}`,
    `exhausted ${s.exhausted}`,
    `queues: ${s.queues.length === 0 ? 'unavailable' : s.queues.map(queue).join(', ')}`,
    `DLQ ${dlq}${dlq > 0 ? ' (npm run redrive)' : ''}`,
  ].join(' · ');
}

/** Prints the status every `intervalMs` when it changed; returns a stop function. */
export function startStatusLine(options: {
  metrics: PrometheusMetrics;
  queues: QueueStats;
  intervalMs?: number;
  write?: (line: string) => void;
}): () => void {
  const write = options.write ?? ((line: string) => console.log(line));
  let last = '';
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const snapshot = await readStatus(options.metrics, options.queues);
      // Compare without the clock: an unchanged stack prints nothing.
      const key = JSON.stringify(snapshot);
      if (key !== last) {
        last = key;
        write(formatStatus(snapshot, new Date()));
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), options.intervalMs ?? 5_000);
  timer.unref();
  return () => clearInterval(timer);
}
