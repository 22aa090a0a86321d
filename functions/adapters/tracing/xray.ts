/**
 * Tracing (functions/core/tracing/tracing.ts) as AWS X-Ray subsegments, through Powertools Tracer.
 * Only the `-c tracing=true` bundles import this (functions/{api,fanout,deliver}/traced.ts): the
 * X-Ray SDK is ~125 KB that a deploy without tracing never loads.
 *
 * What a trace holds, across API → fan-out → delivery: Lambda's own segment per invocation; a handler
 * subsegment (cold start and service annotated); one subsegment per request or task, annotated with
 * the message id (and app, endpoint, outcome); one per DynamoDB and SQS call (captured clients). A
 * traced SendMessage carries the trace header into the queue, so the next function's invocation joins
 * the same trace. Outgoing webhooks are NOT captured as HTTP subsegments (captureHTTPsRequests off):
 * their URLs may hold credentials. Responses and payloads are never added as metadata.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Annotations, FunctionTracer, Tracing } from '../../core/tracing/tracing.ts';

function annotateOn(target: { addAnnotation(key: string, value: string | number | boolean): void }, annotations: Annotations): void {
  for (const [key, value] of Object.entries(annotations)) if (value !== undefined) target.addAnnotation(key, value);
}

/** The handler becomes the subsegment `## <service>`; each client call one more below the span it runs in. */
export function createXrayTracer(serviceName: string): FunctionTracer {
  const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });

  const span = <T>(name: string, annotations: Annotations, work: () => Promise<T>): Promise<T> => {
    if (!tracer.isTracingEnabled() || tracer.getSegment() === undefined) return work();
    // captureAsyncFunc runs `work` in a context of its own: the SDK calls made inside (and concurrent
    // tasks' spans) attach to this subsegment, not to a sibling's.
    return tracer.provider.captureAsyncFunc(name, async (subsegment) => {
      if (subsegment !== undefined) annotateOn(subsegment, annotations);
      try {
        return await work();
      } catch (error) {
        subsegment?.addError(error as Error);
        throw error;
      } finally {
        subsegment?.close();
      }
    }) as Promise<T>;
  };

  const tracing: Tracing = {
    span,
    annotate(annotations) {
      if (!tracer.isTracingEnabled()) return;
      const segment = tracer.getSegment();
      if (segment !== undefined) annotateOn(segment, annotations);
    },
  };

  return {
    tracing,
    captureClient: (client) => tracer.captureAWSv3Client(client),
    traceHandler: (handler) => (event, context) =>
      span(`## ${serviceName}`, {}, () => {
        tracer.annotateColdStart();
        tracer.addServiceNameAnnotation();
        return handler(event, context);
      }),
  };
}
