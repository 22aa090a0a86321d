/** Middy middleware: publishes the buffered metrics at the end of every invocation, failed ones too. */
import type { MiddlewareObj } from '@middy/core';
import type { Metrics } from '../core/metrics/metrics.ts';

export function flushMetrics<E, R>(metrics: Metrics): MiddlewareObj<E, R> {
  const flush = (): void => {
    // Metrics must never fail a request or a batch.
    try {
      metrics.flush();
    } catch {
      /* a malformed metric is dropped; the work it measured is done */
    }
  };
  return { after: flush, onError: flush };
}
