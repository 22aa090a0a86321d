/** The fan-out function's Lambda handler, built once per cold start (./index.ts; ./traced.ts with X-Ray). */
import type { FunctionTracer } from '../core/tracing/tracing.ts';
import { loadConfig } from '../shared/config.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { buildFanoutHandler } from '../shared/wiring/fanout.ts';
import { tracedClients, tracedHandler } from '../shared/wiring/tracing.ts';

export function fanoutEntry(tracer?: FunctionTracer) {
  const handler = buildFanoutHandler(loadConfig(), tracedClients(createAwsClients(), tracer), undefined, { tracing: tracer?.tracing });
  return tracedHandler(handler, tracer);
}
