/**
 * Queue workers that attach to emulators that are already running: the fan-out and delivery
 * handlers (built by the same composition root the Lambdas use) behind Lambda-style SQS pollers.
 * `npm start` runs the whole stack in one process (local/stack.ts); this lets a SEPARATE process run
 * only the workers against the same DynamoDB Local and fauxqs (local/worker-process.ts), so a chaos run
 * can SIGKILL a worker mid-batch and start another, as a Lambda container dies and a new one starts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createLocalSecretCipher } from '../functions/adapters/crypto/local-cipher.ts';
import { LOCAL_PAYLOAD_BUCKET } from './resources.ts';
import type { Config } from '../functions/shared/config.ts';
import { DELIVERY, QUEUES, type QueueSpec } from '../functions/shared/names.ts';
import { buildDeliveryHandler, buildFanoutHandler, createAwsClients, destroyAwsClients } from '../functions/shared/wiring.ts';
import { noopMetrics } from '../functions/core/metrics/metrics.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators/credentials.ts';
import type { QueueUrls } from './resources.ts';
import { localDestinationOptions, type LocalEndpoints } from './destinations.ts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { startSqsPoller, type SqsPoller, type SqsPollerOptions } from './sqs-poller.ts';

/** What a worker needs to know about the running stack (also what `.sluice/runtime.json` holds). */
export interface StackAddress {
  endpoints: LocalEndpoints;
  queueUrls: QueueUrls;
  tableName: string;
  /** The local AES key sealing endpoint secrets, base64 (workers must open them). */
  secretsKey: string;
}

/** The delivery knobs of issue 3 that local runs set (each maps to a Config field / env variable). */
export interface ReliabilityOptions {
  /** One HTTP attempt's deadline (SLUICE_ATTEMPT_TIMEOUT_MS); chaos runs lower it so hangs cost seconds. */
  attemptTimeoutMs?: number;
  /** Auto-disable window (SLUICE_DISABLE_AFTER_SECONDS). */
  disableAfterSeconds?: number;
  /** Least delay after a timeout/429 (SLUICE_OVERLOAD_MIN_DELAY_SECONDS); compressed schedules lower it. */
  overloadMinDelaySeconds?: number;
  /** SLUICE_OPERATIONAL_WEBHOOK_URL / _SECRET. */
  operationalWebhook?: { url: string; secret: string };
  /** Test-only queue specs, e.g. a short consumer timeout (visibility = 6×) so killed workers' tasks return fast. */
  queueSpecs?: { [K in keyof typeof QUEUES]?: Partial<QueueSpec> };
}

/** The Config fields for `options` (spread into the Config literal local/stack.ts builds). */
export function reliabilityConfig(options: ReliabilityOptions = {}): Partial<Config> {
  return {
    ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
    ...(options.disableAfterSeconds === undefined ? {} : { disableAfterSeconds: options.disableAfterSeconds }),
    ...(options.overloadMinDelaySeconds === undefined ? {} : { overloadMinDelaySeconds: options.overloadMinDelaySeconds }),
    ...(options.operationalWebhook === undefined ? {} : { operationalWebhook: options.operationalWebhook }),
  };
}

/** The reverse: the knobs as loadConfig parsed them from the environment (npm start, worker processes). */
export function reliabilityFromConfig(config: Config): ReliabilityOptions {
  return {
    ...(config.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: config.attemptTimeoutMs }),
    ...(config.disableAfterSeconds === undefined ? {} : { disableAfterSeconds: config.disableAfterSeconds }),
    ...(config.overloadMinDelaySeconds === undefined ? {} : { overloadMinDelaySeconds: config.overloadMinDelaySeconds }),
    ...(config.operationalWebhook === undefined ? {} : { operationalWebhook: config.operationalWebhook }),
  };
}

export interface WorkerOptions extends ReliabilityOptions {
  stack: StackAddress;
  /** The rest of the Config as loadConfig parsed it (worker processes); the stack's own fields win. */
  environment?: Partial<Config>;
  retryScheduleSeconds?: number[];
  allowPrivateNetworks?: boolean;
  /** Concurrent poll loops per queue; 0 runs no poller for that queue. */
  pollers?: { fanout?: number; delivery?: number; deliverySlow?: number; fanoutOrdered?: number; deliveryOrdered?: number };
  logLevel?: string;
}

export interface RunningWorkers {
  stop(): Promise<void>;
}

export async function startWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const { stack } = options;
  const logLevel = (options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO';
  const logger = (serviceName: string): Logger => new Logger({ serviceName, logLevel });
  const config: Config = {
    ...options.environment,
    tableName: stack.tableName,
    fanoutQueueUrl: stack.queueUrls.fanout,
    deliveryQueueUrl: stack.queueUrls.delivery,
    deliverySlowQueueUrl: stack.queueUrls.deliverySlow,
    fanoutOrderedQueueUrl: stack.queueUrls.fanoutOrdered,
    deliveryOrderedQueueUrl: stack.queueUrls.deliveryOrdered,
    adminToken: undefined,
    adminTokenSecretArn: undefined,
    retryScheduleSeconds: options.retryScheduleSeconds ?? [...DELIVERY.defaultRetryScheduleSeconds],
    allowPrivateNetworks: options.allowPrivateNetworks ?? true,
    payloadBucket: LOCAL_PAYLOAD_BUCKET,
    ...reliabilityConfig(options),
  };
  const clientsFor = () =>
    createAwsClients({
      dynamoEndpoint: stack.endpoints.dynamodb,
      sqsEndpoint: stack.endpoints.sqs,
      s3Endpoint: stack.endpoints.sqs,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  const fanoutClients = clientsFor();
  const deliveryClients = clientsFor();
  const cipher = createLocalSecretCipher(Buffer.from(stack.secretsKey, 'base64'));
  // Not EMF lines on stdout: a worker process has no /metrics of its own (the stack's counts only its own workers).
  const deliver = buildDeliveryHandler(config, deliveryClients, logger('sluice-deliver'), {
    cipher,
    metrics: noopMetrics,
    destinations: localDestinationOptions(stack.endpoints),
  });
  const fanout = buildFanoutHandler(config, fanoutClients, logger('sluice-fanout'), { metrics: noopMetrics });
  const runner = logger('sluice-worker');

  const pollers = await startQueuePollers({
    fanout: { sqs: fanoutClients.sqs, queueUrl: stack.queueUrls.fanout, handler: fanout, loops: options.pollers?.fanout ?? 2 },
    delivery: { sqs: deliveryClients.sqs, queueUrl: stack.queueUrls.delivery, handler: deliver, loops: options.pollers?.delivery ?? 4 },
    deliverySlow: { sqs: deliveryClients.sqs, queueUrl: stack.queueUrls.deliverySlow, handler: deliver, loops: options.pollers?.deliverySlow ?? 2 },
    fanoutOrdered: { sqs: fanoutClients.sqs, queueUrl: stack.queueUrls.fanoutOrdered, handler: fanout, loops: options.pollers?.fanoutOrdered ?? orderedLoops(options.pollers?.fanout ?? 2) },
    deliveryOrdered: { sqs: deliveryClients.sqs, queueUrl: stack.queueUrls.deliveryOrdered, handler: deliver, loops: options.pollers?.deliveryOrdered ?? orderedLoops(options.pollers?.delivery ?? 4) },
    queueSpecs: options.queueSpecs,
    logger: runner,
  });

  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all(pollers.map((p) => p.stop()));
        await deliver.close();
        destroyAwsClients(fanoutClients);
        destroyAwsClients(deliveryClients);
      })()),
  };
}

/** Ordered queues get a poll loop when their unordered sibling has any (they carry far less). */
export const orderedLoops = (siblingLoops: number): number => (siblingLoops > 0 ? 1 : 0);

/** Batches each delivery poll loop may have in flight at once (Lambda's concurrent invocations). */
const DELIVERY_BATCHES_PER_LOOP = 4;

interface PollerTarget {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsPollerOptions['handler'];
  /** Concurrent poll loops; 0 runs no poller. */
  loops: number;
}

/**
 * The fan-out and delivery pollers, as Lambda's event source mappings would run them: batch sizes and
 * consumer timeouts from the shared queue specs (overridable for tests). Used by the whole local stack
 * and by worker-only processes.
 */
export async function startQueuePollers(options: {
  fanout: PollerTarget;
  delivery: PollerTarget;
  /** The slow lane (functions/core/isolation/endpoint-lanes.ts): the same delivery handler, capped. */
  deliverySlow?: PollerTarget;
  /** Ordered endpoints' FIFO queues (functions/core/ordering/). */
  fanoutOrdered?: PollerTarget;
  deliveryOrdered?: PollerTarget;
  queueSpecs?: ReliabilityOptions['queueSpecs'];
  logger: Logger;
}): Promise<SqsPoller[]> {
  const pollers: SqsPoller[] = [];
  const targets: [string, PollerTarget | undefined, QueueSpec, number][] = [
    ['sluice-fanout', options.fanout, { ...QUEUES.fanout, ...options.queueSpecs?.fanout }, 1],
    // Like Lambda, which keeps polling while earlier batches still run: a batch held by one slow
    // attempt takes one of several invocation slots, not a whole poll loop.
    ['sluice-deliver', options.delivery, { ...QUEUES.delivery, ...options.queueSpecs?.delivery }, DELIVERY_BATCHES_PER_LOOP],
    // The slow lane's capacity is deliberately small: it is what all slow endpoints share.
    ['sluice-deliver-slow', options.deliverySlow, { ...QUEUES.deliverySlow, ...options.queueSpecs?.deliverySlow }, 1],
    // FIFO: SQS hands each group to one batch at a time, so more batches in flight serve more endpoints.
    ['sluice-fanout-ordered', options.fanoutOrdered, { ...QUEUES.fanoutOrdered, ...options.queueSpecs?.fanoutOrdered }, 2],
    ['sluice-deliver-ordered', options.deliveryOrdered, { ...QUEUES.deliveryOrdered, ...options.queueSpecs?.deliveryOrdered }, DELIVERY_BATCHES_PER_LOOP],
  ];
  for (const [name, target, spec, batchesPerLoop] of targets) {
    if (target === undefined || target.loops <= 0) continue;
    pollers.push(
      await startSqsPoller({
        sqs: target.sqs,
        queueUrl: target.queueUrl,
        handler: target.handler,
        functionName: name,
        batchSize: spec.batchSize,
        concurrency: target.loops,
        maxBatchesInFlight: target.loops * batchesPerLoop,
        timeoutSeconds: spec.consumerTimeoutSeconds,
        logger: options.logger,
      }),
    );
  }
  return pollers;
}
