/** The delivery function's Lambda handler, built once per cold start (./index.ts; ./traced.ts with X-Ray). */
import type { FunctionTracer } from '../core/tracing/tracing.ts';
import { loadConfig } from '../shared/config.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { buildDeliveryHandler } from '../shared/wiring/deliver.ts';
import { kmsSecretCipherFor } from '../shared/wiring/secret-cipher.ts';
import { tracedClients, tracedHandler } from '../shared/wiring/tracing.ts';

export function deliverEntry(tracer?: FunctionTracer) {
  const config = loadConfig();
  const clients = tracedClients(createAwsClients(), tracer);
  const handler = buildDeliveryHandler(config, clients, undefined, { cipher: kmsSecretCipherFor(config), tracing: tracer?.tracing });
  return tracedHandler(handler, tracer);
}
