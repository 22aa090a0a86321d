/** Counts the poison tasks (PoisonTaskError) a record processor throws, and rethrows them. */
import type { Metrics } from '../core/metrics/metrics.ts';
import { PoisonTaskError } from '../core/tasks/poison.ts';

export function countPoisonTasks<A extends unknown[], R>(metrics: Metrics, process: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await process(...args);
    } catch (error) {
      if (error instanceof PoisonTaskError) metrics.count('PoisonTasks');
      throw error;
    }
  };
}
