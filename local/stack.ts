/**
 * The embedded stack: DynamoDB Local and fauxqs (plus the STS and EventBridge stand-ins that AWS-native
 * destinations send through), the table and queues from the shared definitions,
 * the three handlers built by the same composition root the Lambdas use, an API Gateway-style front
 * and Lambda-style SQS pollers. `npm start` (local/main.ts) and the integration tests run this.
 */
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../functions/shared/config.ts';
import { DELIVERY, TABLE } from '../functions/shared/names.ts';
import {
  buildApiHandler,
  buildDeliveryHandler,
  buildFanoutHandler,
  createAwsClients,
  destroyAwsClients,
  type AwsClients,
} from '../functions/shared/wiring.ts';
import type { ResolveAll } from '../functions/adapters/http/webhook-sender.ts';
import { createLocalSecretCipher, loadOrCreateLocalSecretsKey, randomLocalSecretsKey } from '../functions/adapters/crypto/local-cipher.ts';
import { createPrometheusMetrics, type PrometheusMetrics } from '../functions/adapters/metrics/prometheus.ts';
import { createSqsQueueStats } from '../functions/adapters/sqs/queue-stats.ts';
import type { QueueStats } from '../functions/core/queues/queue-stats.ts';
import { generateAdminToken } from './admin-token.ts';
import { startApiGatewayFront } from './api-gateway-front.ts';
import { metricsEndpoint } from './metrics-endpoint.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators/credentials.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './emulators/dynamodb-local.ts';
import { startSqsEmulator, type SqsEmulator } from './emulators/sqs.ts';
import { LOCAL_PAYLOAD_BUCKET, ensureBucket, ensureQueues, ensureTable, type QueueUrls } from './resources.ts';
import { LOCAL_DESTINATION_PRINCIPAL_ARN, localDestinationOptions, startDestinationStandIns, type LocalEndpoints } from './destinations.ts';
import type { StsStandIn } from './emulators/sts-standin.ts';
import type { EventBridgeStandIn } from './emulators/eventbridge-standin.ts';
import { orderedLoops, reliabilityConfig, startQueuePollers, type ReliabilityOptions } from './workers.ts';

export interface SluiceOptions {
  /** API port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /** State directory (dynamodb/ and sqs/ inside); undefined keeps everything in memory. */
  dataDir?: string;
  /** Generated when absent. */
  adminToken?: string;
  retryScheduleSeconds?: number[];
  /** Local default true, so receivers on localhost work. */
  allowPrivateNetworks?: boolean;
  /** SSRF allow-list (CIDRs) when private networks are not allowed. */
  allowedSubnets?: string[];
  /** Endpoint URLs must be https. */
  requireHttps?: boolean;
  /**
   * The AES-256 key sealing endpoint secrets at rest (the local stand-in for KMS). Default: kept in
   * `<dataDir>/secrets-key` (generated on first start), or a random one for an in-memory stack.
   */
  secretsKey?: Uint8Array;
  /** DNS seam for the delivery function (tests give fake answers); default: the OS resolver. */
  resolveAll?: ResolveAll;
  /** Concurrent poll loops per queue (Lambda's concurrent invocations); delivery 0: run none (workers attach from another process, local/workers.ts). */
  pollers?: { fanout?: number; delivery?: number; deliverySlow?: number; fanoutOrdered?: number; deliveryOrdered?: number };
  /** Benchmarks only: no slow lane (functions/core/isolation/), to measure what tenant isolation buys. */
  singleLane?: boolean;
  /** Delivery knobs: attempt timeout, auto-disable window, operational webhooks, test queue specs. */
  reliability?: ReliabilityOptions;
  /**
   * Config fields as loadConfig parsed them from the environment (npm start passes every one, see
   * local/local-settings.ts, so a new variable needs no new option here). The options above win.
   */
  environment?: Partial<Omit<Config, 'tableName' | 'fanoutQueueUrl' | 'deliveryQueueUrl' | 'adminToken' | 'adminTokenSecretArn'>>;
  /** Powertools level (DEBUG, INFO, WARN, ERROR, SILENT); default POWERTOOLS_LOG_LEVEL, else INFO. */
  logLevel?: string;
  tableName?: string;
  /** Optional hooks, e.g. for the benchmarks (bench/): meter each function's SDK clients and handler. */
  instrument?: StackInstrumentation;
}

export type LocalFunctionName = 'api' | 'fanout' | 'deliver';

/**
 * Called once per function while the stack starts: `clients` sees that function's SDK clients (also the
 * ones its poller uses, as Lambda's event source mapping is billed to the function's queue) before any
 * call is made; `handler` may return a wrapper that the front or the poller then calls instead.
 */
export interface StackInstrumentation {
  clients?(fn: LocalFunctionName, clients: AwsClients): void;
  handler?<H extends (event: never, context: never) => Promise<unknown>>(fn: LocalFunctionName, handler: H): H;
}

export interface RunningSluice {
  url: string;
  adminToken: string;
  endpoints: LocalEndpoints;
  /** The STS and EventBridge stand-ins (AWS-native destinations): tests trust roles and read events here. */
  aws: { sts: StsStandIn; events: EventBridgeStandIn };
  queueUrls: QueueUrls;
  tableName: string;
  /** The local key sealing endpoint secrets (base64): a worker process attaching to this stack needs it. */
  secretsKey: string;
  /** What the three functions recorded (served at GET /metrics with the admin token). */
  metrics: PrometheusMetrics;
  /** The queues' depths, as GET /api/v1/ops/queues reads them. */
  queueStats: QueueStats;
  stop(): Promise<void>;
}

export async function startSluice(options: SluiceOptions = {}): Promise<RunningSluice> {
  const stack = new Cleanup();
  try {
    return await start(options, stack);
  } catch (error) {
    await stack.run();
    throw error;
  }
}

async function start(options: SluiceOptions, stack: Cleanup): Promise<RunningSluice> {
  const logLevel = options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO';
  const logger = (serviceName: string): Logger => new Logger({ serviceName, logLevel: logLevel as 'INFO' });
  const runnerLogger = logger('sluice-local');
  const dataDir = options.dataDir;

  const [dynamo, sqs, standIns] = await Promise.all([
    startDynamoDbLocal(dataDir === undefined ? {} : { dataDir: join(dataDir, 'dynamodb') }).then((d: DynamoDbLocal) => {
      stack.push(() => d.stop());
      return d;
    }),
    startSqsEmulator(dataDir === undefined ? {} : { dataDir: join(dataDir, 'sqs'), s3Dir: join(dataDir, 's3') }).then((s: SqsEmulator) => {
      stack.push(() => s.stop());
      return s;
    }),
    startDestinationStandIns(dataDir).then((d) => {
      stack.push(() => d.stop());
      return d;
    }),
  ]);
  const endpoints: LocalEndpoints = { dynamodb: dynamo.endpoint, sqs: sqs.endpoint, sts: standIns.sts.endpoint, events: standIns.events.endpoint };

  const tableName = options.tableName ?? TABLE.defaultName;
  const adminToken = options.adminToken ?? generateAdminToken();
  const clientsFor = () =>
    createAwsClients({
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      s3Endpoint: sqs.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  const bootstrap = clientsFor();
  stack.push(() => destroyAwsClients(bootstrap));
  const specs = options.reliability?.queueSpecs ?? {};
  const [queueUrls] = await Promise.all([
    ensureQueues(bootstrap.sqs, '', specs),
    ensureTable(bootstrap.dynamo, tableName),
    ensureBucket(await bootstrap.s3.get(), LOCAL_PAYLOAD_BUCKET),
  ]);

  // The same Config shape loadConfig() produces in a Lambda.
  const environment = options.environment ?? {};
  const config: Config = {
    ...environment,
    tableName,
    fanoutQueueUrl: queueUrls.fanout,
    deliveryQueueUrl: queueUrls.delivery,
    deliverySlowQueueUrl: options.singleLane === true ? undefined : queueUrls.deliverySlow,
    fanoutOrderedQueueUrl: queueUrls.fanoutOrdered,
    deliveryOrderedQueueUrl: queueUrls.deliveryOrdered,
    adminToken,
    adminTokenSecretArn: undefined,
    retryScheduleSeconds: options.retryScheduleSeconds ?? environment.retryScheduleSeconds ?? [...DELIVERY.defaultRetryScheduleSeconds],
    allowPrivateNetworks: options.allowPrivateNetworks ?? environment.allowPrivateNetworks ?? true,
    allowedSubnets: options.allowedSubnets ?? environment.allowedSubnets ?? [],
    requireHttps: options.requireHttps ?? environment.requireHttps ?? false,
    secretsKeyArn: undefined,
    payloadBucket: LOCAL_PAYLOAD_BUCKET,
    destinationPrincipalArn: environment.destinationPrincipalArn ?? LOCAL_DESTINATION_PRINCIPAL_ARN,
    ...reliabilityConfig(options.reliability),
  };
  const secretsKey =
    options.secretsKey ?? (dataDir === undefined ? randomLocalSecretsKey() : loadOrCreateLocalSecretsKey(join(dataDir, 'secrets-key')));
  const cipher = createLocalSecretCipher(secretsKey);
  // One client set per function, as each Lambda has its own.
  const apiClients = clientsFor();
  const fanoutClients = clientsFor();
  const deliveryClients = clientsFor();
  stack.push(() => [apiClients, fanoutClients, deliveryClients].forEach(destroyAwsClients));
  const hooks = options.instrument;
  hooks?.clients?.('api', apiClients);
  hooks?.clients?.('fanout', fanoutClients);
  hooks?.clients?.('deliver', deliveryClients);

  // One registry for the three functions (a `service` label tells them apart), in place of EMF.
  const metrics = createPrometheusMetrics();
  const deliveryHandler = buildDeliveryHandler(config, deliveryClients, logger('sluice-deliver'), {
    cipher,
    metrics: metrics.forService('sluice-deliver'),
    destinations: localDestinationOptions(endpoints),
    ...(options.resolveAll === undefined ? {} : { resolveAll: options.resolveAll }),
  });
  stack.push(() => deliveryHandler.close());
  const wrap = <H extends (event: never, context: never) => Promise<unknown>>(fn: LocalFunctionName, handler: H): H =>
    hooks?.handler?.(fn, handler) ?? handler;
  const deliver = wrap('deliver', deliveryHandler);
  const fanout = wrap('fanout', buildFanoutHandler(config, fanoutClients, logger('sluice-fanout'), { metrics: metrics.forService('sluice-fanout') }));
  const api = wrap('api', buildApiHandler(config, apiClients, adminToken, logger('sluice-api'), { cipher, metrics: metrics.forService('sluice-api') }));

  const pollers = await startQueuePollers({
    fanout: { sqs: fanoutClients.sqs, queueUrl: queueUrls.fanout, handler: fanout, loops: options.pollers?.fanout ?? 2 },
    delivery: { sqs: deliveryClients.sqs, queueUrl: queueUrls.delivery, handler: deliver, loops: options.pollers?.delivery ?? 4 },
    deliverySlow: { sqs: deliveryClients.sqs, queueUrl: queueUrls.deliverySlow, handler: deliver, loops: options.singleLane === true ? 0 : (options.pollers?.deliverySlow ?? 2) },
    fanoutOrdered: { sqs: fanoutClients.sqs, queueUrl: queueUrls.fanoutOrdered, handler: fanout, loops: options.pollers?.fanoutOrdered ?? orderedLoops(options.pollers?.fanout ?? 2) },
    deliveryOrdered: { sqs: deliveryClients.sqs, queueUrl: queueUrls.deliveryOrdered, handler: deliver, loops: options.pollers?.deliveryOrdered ?? orderedLoops(options.pollers?.delivery ?? 4) },
    queueSpecs: specs,
    logger: runnerLogger,
  });
  stack.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined));

  const front = await startApiGatewayFront({
    handler: api,
    port: options.port ?? 0,
    logger: runnerLogger,
    metrics: metricsEndpoint(metrics, adminToken),
    ...(config.corsOrigins === undefined ? {} : { corsOrigins: config.corsOrigins }),
  });
  stack.push(() => front.stop());

  let stopped: Promise<void> | undefined;
  return {
    url: front.url,
    adminToken,
    endpoints,
    aws: { sts: standIns.sts, events: standIns.events },
    queueUrls,
    tableName,
    secretsKey: Buffer.from(secretsKey).toString('base64'),
    metrics,
    queueStats: createSqsQueueStats(apiClients.sqs, {
      fanout: queueUrls.fanout,
      delivery: queueUrls.delivery,
      'delivery-slow': queueUrls.deliverySlow,
      'fanout-ordered': queueUrls.fanoutOrdered,
      'delivery-ordered': queueUrls.deliveryOrdered,
    }),
    stop: () => (stopped ??= stack.run()),
  };
}

/** Stop steps, run in reverse order of start: front, pollers, handlers, clients, emulators. */
class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  push(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (error) {
        console.error('sluice: error while stopping', error);
      }
    }
  }
}
