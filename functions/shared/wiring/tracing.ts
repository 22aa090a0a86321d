/**
 * A Lambda entry's clients and handler, traced when the entry brings a tracer (the traced bundles of
 * `-c tracing=true`) and left as they are otherwise. Type-only imports: an untraced bundle never
 * loads the X-Ray SDK.
 */
import type { FunctionTracer } from '../../core/tracing/tracing.ts';
import type { AwsClients } from './clients.ts';

export function tracedClients(clients: AwsClients, tracer: FunctionTracer | undefined): AwsClients {
  if (tracer === undefined) return clients;
  // S3 (big payloads only) is left untraced: its client is created on first use, after this.
  return { ...clients, dynamo: tracer.captureClient(clients.dynamo), sqs: tracer.captureClient(clients.sqs) };
}

export function tracedHandler<E, C, R>(handler: (event: E, context: C) => Promise<R>, tracer: FunctionTracer | undefined): (event: E, context: C) => Promise<R> {
  return tracer === undefined ? handler : tracer.traceHandler(handler);
}
