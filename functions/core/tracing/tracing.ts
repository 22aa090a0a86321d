/**
 * Tracing as the handlers see it: spans around units of work (one API request, one fan-out or delivery
 * task), annotated with the ids an operator searches by (messageId, endpointId, …). On AWS with
 * `-c tracing=true` the spans are X-Ray subsegments (functions/adapters/tracing/xray.ts); everywhere
 * else they cost nothing.
 *
 * Annotations are ids and outcomes only, never payloads, URLs or headers: traces are not a place for
 * what a customer sends (URLs may carry credentials in their query).
 */
export type Annotations = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Tracing {
  /** Runs `work` in a span of its own, annotated; the span records the error `work` throws. */
  span<T>(name: string, annotations: Annotations, work: () => Promise<T>): Promise<T>;
  /** Adds annotations to the current span (learnt while it runs, e.g. an outcome). */
  annotate(annotations: Annotations): void;
}

export const noTracing: Tracing = {
  span: (_name, _annotations, work) => work(),
  annotate: () => undefined,
};

/**
 * A tracer as a Lambda entry uses it: the spans, plus the function's handler and SDK clients traced.
 * Only the traced entries (functions/{api,fanout,deliver}/traced.ts) create one.
 */
export interface FunctionTracer {
  tracing: Tracing;
  /** The same client, each of its calls a span (and, through SQS, the trace passed on). */
  captureClient<C>(client: C): C;
  /** The handler as one span, annotated with cold start and service. */
  traceHandler<E, C, R>(handler: (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R>;
}
