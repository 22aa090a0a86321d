/**
 * Timeouts line up, read from the synthesized template (bundling skipped): no attempt can still be
 * running when its task becomes visible again, so a slow receiver never causes a second, concurrent
 * delivery of the same task.
 *
 *   attempt timeout (15 s) + throttle wait (≤ 3 s) < delivery function timeout < queue visibility timeout
 *
 * And a retry's delay, set at most one function timeout after the receive, stays inside SQS's 12 h
 * visibility limit (counted from the receive). The same for the fan-out function and queue.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { MAX_RETRY_DELAY_SECONDS, SQS_MAX_VISIBILITY_SECONDS } from '../../functions/core/delivery/retry-policy.ts';
import { THROTTLE_MAX_WAIT_MS } from '../../functions/core/throttle/throttle.ts';
import { DELIVERY, QUEUES } from '../../functions/shared/names.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;

beforeAll(() => {
  stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [] }), 'Sluice');
  template = Template.fromStack(stack);
});

function functionTimeout(fn: { node: { defaultChild?: unknown } } & Parameters<typeof logicalId>[0]): number {
  const resource = template.toJSON().Resources[logicalId(fn)];
  return resource.Properties.Timeout as number;
}

function visibilityTimeout(queue: Parameters<typeof logicalId>[0]): number {
  return template.toJSON().Resources[logicalId(queue)].Properties.VisibilityTimeout as number;
}

/** Time a delivery invocation may spend besides the HTTP attempt and the throttle wait (DynamoDB, SQS). */
const BOOKKEEPING_SECONDS = 10;

test('delivery: attempt + throttle wait + bookkeeping < function timeout < visibility timeout', () => {
  const fnTimeout = functionTimeout(stack.workers.delivery.function);
  const visibility = visibilityTimeout(stack.queues.delivery.queue);
  const attemptSeconds = DELIVERY.attemptTimeoutMs / 1000;
  expect(fnTimeout).toBe(QUEUES.delivery.consumerTimeoutSeconds);
  expect(attemptSeconds + THROTTLE_MAX_WAIT_MS / 1000 + BOOKKEEPING_SECONDS).toBeLessThan(fnTimeout);
  // Lambda's guidance is visibility ≥ 6 × the function timeout (its own retries of a batch included).
  expect(visibility).toBeGreaterThanOrEqual(6 * fnTimeout);
});

test('fan-out: function timeout < visibility timeout', () => {
  const fnTimeout = functionTimeout(stack.workers.fanout.function);
  expect(fnTimeout).toBe(QUEUES.fanout.consumerTimeoutSeconds);
  expect(visibilityTimeout(stack.queues.fanout.queue)).toBeGreaterThanOrEqual(6 * fnTimeout);
});

test('a retry delay set at the end of an invocation stays within 12 h of the receive', () => {
  const fnTimeout = functionTimeout(stack.workers.delivery.function);
  expect(MAX_RETRY_DELAY_SECONDS + fnTimeout).toBeLessThanOrEqual(SQS_MAX_VISIBILITY_SECONDS);
  // Every scheduled delay, jittered +20 %, is capped there.
  expect(Math.max(...DELIVERY.defaultRetryScheduleSeconds) * 1.2).toBeGreaterThan(MAX_RETRY_DELAY_SECONDS);
});

test('the event source reports partial batch failures and the batch size matches the queue spec', () => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: logicalId(stack.workers.delivery.function) },
    BatchSize: QUEUES.delivery.batchSize,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
});

test("the README's figures: attempt 15 s, throttle wait ≤ 3 s, delivery function 60 s, its queue's visibility 360 s", () => {
  // Literal on purpose: the relations above would still hold if these were all changed together, but
  // the README (and operators' runbooks) quote the numbers themselves.
  expect(DELIVERY.attemptTimeoutMs).toBe(15_000);
  expect(THROTTLE_MAX_WAIT_MS).toBe(3_000);
  expect(functionTimeout(stack.workers.delivery.function)).toBe(60);
  expect(visibilityTimeout(stack.queues.delivery.queue)).toBe(360);
  expect(DELIVERY.defaultOverloadMinDelaySeconds).toBe(60);
});
