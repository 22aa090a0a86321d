/** What the fan-out handler records per task (names and units: functions/core/metrics/catalog.ts). */
import type { Metrics } from '../core/metrics/metrics.ts';
import { countPoisonTasks } from '../shared/poison-metrics.ts';

export function createFanoutMetrics(metrics: Metrics) {
  return {
    /** A task done: `queued` delivery tasks for the endpoints it matched. */
    fannedOut(kind: 'message' | 'recover', queued: number): void {
      metrics.count('FanoutTasks', 1, { kind });
      metrics.count('EndpointsMatched', queued);
    },
    /** A message task received before its deliverAt, held back. */
    held(): void {
      metrics.count('ScheduledHolds');
    },
    countPoison: <A extends unknown[], R>(process: (...args: A) => Promise<R>) => countPoisonTasks(metrics, process),
  };
}
