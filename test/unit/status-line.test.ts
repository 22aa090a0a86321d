/** The status line `npm start` prints (local/status-line.ts), from a real Prometheus registry. */
import { createPrometheusMetrics } from '../../functions/adapters/metrics/prometheus.ts';
import type { QueueStat } from '../../functions/core/queues/queue-stats.ts';
import { formatStatus, readStatus, startStatusLine } from '../../local/status-line.ts';

const queue = (name: string, fields: Partial<QueueStat> = {}): QueueStat => ({ name, visible: 0, inFlight: 0, delayed: 0, dlqVisible: 0, ...fields });

test('reads the counts the functions recorded and the queue depths', async () => {
  const metrics = createPrometheusMetrics();
  const api = metrics.forService('sluice-api');
  const deliver = metrics.forService('sluice-deliver');
  for (let i = 0; i < 3; i++) api.count('MessagesPublished');
  deliver.count('Attempts', 1, { outcome: 'success', trigger: 'scheduled' });
  deliver.count('Attempts', 1, { outcome: 'success', trigger: 'manual' });
  deliver.count('Attempts', 2, { outcome: 'http_5xx', trigger: 'scheduled' });
  deliver.count('RetriesScheduled', 2);
  const queues = [queue('fanout'), queue('delivery', { visible: 4, inFlight: 2, delayed: 1, dlqVisible: 1 })];
  const snapshot = await readStatus(metrics, { read: async () => queues });
  expect(snapshot).toEqual({ published: 3, delivered: 2, failedAttempts: 2, retries: 2, exhausted: 0, queues });
  expect(formatStatus(snapshot, new Date('2026-12-03T10:11:12Z'))).toBe(
    '[10:11:12] published 3 · delivered 2 · failed attempts 2 · retries 2 · exhausted 0 · ' +
      'queues: fanout 0, delivery 4 (2 in flight, 1 delayed) · DLQ 1 (npm run redrive)',
  );
});

test('queues that cannot be read are said to be unavailable', async () => {
  const snapshot = await readStatus(createPrometheusMetrics(), { read: async () => { throw new Error('emulator gone'); } });
  expect(formatStatus(snapshot, new Date('2026-12-03T00:00:00Z'))).toBe(
    '[00:00:00] published 0 · delivered 0 · failed attempts 0 · retries 0 · exhausted 0 · queues: unavailable · DLQ 0',
  );
});

test('prints only when something changed', async () => {
  const metrics = createPrometheusMetrics();
  const lines: string[] = [];
  const printed = (count: number): Promise<void> =>
    new Promise((resolve) => {
      const poll = setInterval(() => {
        if (lines.length >= count) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
  const stop = startStatusLine({ metrics, queues: { read: async () => [queue('delivery')] }, intervalMs: 10, write: (l) => lines.push(l) });
  try {
    await printed(1);
    // Several ticks with nothing new: still one line.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines).toHaveLength(1);
    metrics.forService('sluice-api').count('MessagesPublished');
    await printed(2);
    expect(lines[1]).toContain('published 1');
  } finally {
    stop();
  }
});
