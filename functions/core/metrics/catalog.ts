/**
 * Every metric Sluice records, defined once: the adapters (EMF, Prometheus), the dashboard and the
 * alarms (lib/) and the README's table read this list, so a name cannot drift between them.
 */

/** CloudWatch namespace; the stack sets POWERTOOLS_METRICS_NAMESPACE to `Sluice/<stack name>`. */
export const METRICS_NAMESPACE_ENV = 'POWERTOOLS_METRICS_NAMESPACE';
export const namespaceFor = (stackName: string): string => `Sluice/${stackName}`;

/** How a delivery attempt ended (dimension `outcome`). */
export const ATTEMPT_OUTCOMES = [
  'success',
  'http_4xx',
  'http_5xx',
  /** 1xx/3xx: not a success (redirects are not followed). */
  'http_other',
  'timeout',
  'connection_error',
  /** Refused by the network guard (SSRF policy) or the URL policy; nothing was sent. */
  'refused',
  /** Not sent: the payload's retention had expired. */
  'not_sent',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Dimension `trigger`: the attempt's triggerType. */
export const ATTEMPT_TRIGGERS = ['scheduled', 'manual'] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];

export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricDefinition {
  readonly unit: MetricUnit;
  /** Dimension names besides `service` (the function), which every metric carries. */
  readonly dimensions: readonly string[];
  /** Which function records it. */
  readonly service: 'sluice-api' | 'sluice-fanout' | 'sluice-deliver' | 'sluice-fanout, sluice-deliver';
  readonly meaning: string;
}

const ATTEMPT_DIMENSIONS = ['outcome', 'trigger'] as const;

export const METRICS = {
  MessagesPublished: { unit: 'Count', dimensions: [], service: 'sluice-api', meaning: 'Messages accepted by POST /app/{app_id}/msg (202), replays excluded' },
  IdempotentReplays: { unit: 'Count', dimensions: [], service: 'sluice-api', meaning: 'POSTs answered from the idempotency store (same idempotency-key)' },
  FanoutTasks: { unit: 'Count', dimensions: ['kind'], service: 'sluice-fanout', meaning: 'Fan-out tasks processed (kind message or recover)' },
  EndpointsMatched: { unit: 'Count', dimensions: [], service: 'sluice-fanout', meaning: 'Delivery tasks queued by fan-out (one per matching endpoint)' },
  ScheduledHolds: { unit: 'Count', dimensions: [], service: 'sluice-fanout', meaning: 'Fan-out tasks received before their deliverAt and held back' },
  Attempts: { unit: 'Count', dimensions: ATTEMPT_DIMENSIONS, service: 'sluice-deliver', meaning: 'Delivery attempts by outcome and trigger' },
  AttemptDuration: { unit: 'Milliseconds', dimensions: ATTEMPT_DIMENSIONS, service: 'sluice-deliver', meaning: 'Time from sending the request to reading the (truncated) response' },
  FirstAttempts: { unit: 'Count', dimensions: ATTEMPT_DIMENSIONS, service: 'sluice-deliver', meaning: 'First scheduled attempts by outcome (the failure-rate alarm reads these)' },
  DeliveryLatency: { unit: 'Milliseconds', dimensions: ATTEMPT_DIMENSIONS, service: 'sluice-deliver', meaning: 'Publish (or deliverAt) to the end of a successful first attempt' },
  RetriesScheduled: { unit: 'Count', dimensions: [], service: 'sluice-deliver', meaning: 'Failed attempts with a retry scheduled' },
  ThrottleHolds: { unit: 'Count', dimensions: [], service: 'sluice-deliver', meaning: 'Tasks handed back by their endpoint\'s throttleRate (not attempts)' },
  SlowLaneDiversions: { unit: 'Count', dimensions: ['reason'], service: 'sluice-deliver', meaning: 'Fast-lane tasks moved to the slow lane (tenant isolation), by reason: marked-slow, attempt-in-flight-too-long, too-many-in-flight' },
  Exhausted: { unit: 'Count', dimensions: [], service: 'sluice-deliver', meaning: 'Messages whose last scheduled attempt failed: no more retries' },
  EndpointsDisabled: { unit: 'Count', dimensions: ['reason'], service: 'sluice-deliver', meaning: 'Endpoints disabled (reason failing: 5 days of failures; gone: 410)' },
  TasksDropped: { unit: 'Count', dimensions: [], service: 'sluice-deliver', meaning: 'Delivery tasks with nothing to do (endpoint deleted or disabled, already done)' },
  PoisonTasks: { unit: 'Count', dimensions: [], service: 'sluice-fanout, sluice-deliver', meaning: 'Tasks that can never succeed (malformed, unknown message): on their way to the DLQ' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
