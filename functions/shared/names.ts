/**
 * Names shared by the CDK stack (lib/), the Lambda code (functions/) and the local runner (local/),
 * defined once so the three cannot drift apart.
 */

/** Environment variables read by the functions (and by `npm start`). */
export const ENV = {
  tableName: 'SLUICE_TABLE_NAME',
  fanoutQueueUrl: 'SLUICE_FANOUT_QUEUE_URL',
  deliveryQueueUrl: 'SLUICE_DELIVERY_QUEUE_URL',
  /** The slow lane's queue (QUEUES.deliverySlow); unset: one lane, no isolation of slow endpoints. */
  deliverySlowQueueUrl: 'SLUICE_DELIVERY_SLOW_QUEUE_URL',
  /**
   * The FIFO queues of ordered endpoints (QUEUES.fanoutOrdered, QUEUES.deliveryOrdered); both unset:
   * `ordering: "fifo"` is refused (422), every endpoint is unordered.
   */
  fanoutOrderedQueueUrl: 'SLUICE_FANOUT_ORDERED_QUEUE_URL',
  deliveryOrderedQueueUrl: 'SLUICE_DELIVERY_ORDERED_QUEUE_URL',
  /** Plain admin token (local mode, or a deploy that sets it explicitly). */
  adminToken: 'SLUICE_ADMIN_TOKEN',
  /** ARN of the Secrets Manager secret holding the admin token (AWS). */
  adminTokenSecretArn: 'SLUICE_ADMIN_TOKEN_SECRET_ARN',
  /** Comma-separated retry delays in seconds, e.g. "5,300,1800". */
  retrySchedule: 'SLUICE_RETRY_SCHEDULE',
  allowPrivateNetworks: 'SLUICE_ALLOW_PRIVATE_NETWORKS',
  /** Comma-separated CIDRs webhooks may reach although they are not public, e.g. "10.1.0.0/16,fd00::/8". */
  allowedSubnets: 'SLUICE_ALLOWED_SUBNETS',
  /** "true": endpoint URLs must be https (422 at create/update, refused at delivery). */
  requireHttps: 'SLUICE_REQUIRE_HTTPS',
  /** KMS key (ARN) that envelope-encrypts endpoint signing secrets in DynamoDB (AWS). */
  secretsKeyArn: 'SLUICE_SECRETS_KEY_ARN',
  /** Days of failures without a success before an endpoint is disabled (default 5; fractions allowed). */
  disableAfterDays: 'SLUICE_DISABLE_AFTER_DAYS',
  /** The same in seconds (tests, chaos runs); wins over SLUICE_DISABLE_AFTER_DAYS. */
  disableAfterSeconds: 'SLUICE_DISABLE_AFTER_SECONDS',
  /** Where operational webhooks (endpoint.disabled, message.attempt.exhausted/failing) go; unset: none are sent. */
  operationalWebhookUrl: 'SLUICE_OPERATIONAL_WEBHOOK_URL',
  /** Their signing secret (`whsec_…`, Standard Webhooks). */
  operationalWebhookSecret: 'SLUICE_OPERATIONAL_WEBHOOK_SECRET',
  /** One HTTP attempt's deadline in ms, at most DELIVERY.attemptTimeoutMs (lower it for chaos runs). */
  attemptTimeoutMs: 'SLUICE_ATTEMPT_TIMEOUT_MS',
  /** The least delay after a timeout or a 429, default 60 s (lower it only to compress schedules in tests). */
  overloadMinDelaySeconds: 'SLUICE_OVERLOAD_MIN_DELAY_SECONDS',
  /**
   * Seconds a delivery worker keeps an endpoint it read (default 5; 0: off). An endpoint update,
   * disable or secret rotation reaches first attempts within this time; retries read it fresh.
   */
  endpointCacheSeconds: 'SLUICE_ENDPOINT_CACHE_SECONDS',
  /** The kind of signing secret generated when none is given: `hmac` (whsec_, default) or `ed25519` (whsk_). */
  defaultSignatureType: 'SLUICE_DEFAULT_SIGNATURE_TYPE',
  /** Origins allowed to call the API from a browser: `*` (default) or a comma-separated list. */
  corsOrigins: 'SLUICE_CORS_ORIGINS',
  /**
   * The S3 bucket that keeps payloads over 256 KiB (up to 5 MiB); unset: payloads are capped at
   * 256 KiB. The stack always creates one; the local stack uses fauxqs's S3.
   */
  payloadBucket: 'SLUICE_PAYLOAD_BUCKET',
  /**
   * The principal AWS-native destinations' roles trust (the delivery function's role, the stack's
   * DestinationPrincipalArn): the API shows it beside each destination's external id. Unset: null.
   */
  destinationPrincipalArn: 'SLUICE_DESTINATION_PRINCIPAL_ARN',
  port: 'PORT',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** The single DynamoDB table. Key layout: see functions/adapters/dynamo/keys.ts. */
export const TABLE = {
  /** Logical name; the deployed/local physical name is passed through ENV.tableName. */
  defaultName: 'sluice',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

export interface QueueSpec {
  /** Queue name (the DLQ is `${name}-dlq`). */
  readonly name: string;
  /** Records per Lambda invocation / local poll. */
  readonly batchSize: number;
  /** The consumer function's timeout. The queue's visibility timeout is 6× this. */
  readonly consumerTimeoutSeconds: number;
  /** Receives before a task moves to the DLQ. */
  readonly maxReceiveCount: number;
  /** An SQS FIFO queue (its name, and its DLQ's, end in `.fifo`). */
  readonly fifo?: boolean;
}

export const QUEUES = {
  fanout: { name: 'sluice-fanout', batchSize: 10, consumerTimeoutSeconds: 30, maxReceiveCount: 5 },
  /**
   * Delivery tasks are received once per attempt (retries are visibility-timeout changes), so
   * maxReceiveCount must stay above the longest retry schedule plus room for crashed workers.
   */
  delivery: { name: 'sluice-delivery', batchSize: 10, consumerTimeoutSeconds: 60, maxReceiveCount: 25 },
  /**
   * The slow lane (functions/core/isolation/endpoint-lanes.ts): deliveries to endpoints that hang or
   * answer slowly, with capped consumer concurrency, so they cannot take the fast lane's capacity.
   */
  deliverySlow: { name: 'sluice-delivery-slow', batchSize: 10, consumerTimeoutSeconds: 60, maxReceiveCount: 25 },
  /**
   * Ordered endpoints (core/ordering/): fan-out tasks of apps that have one, one message group per app,
   * so their messages are fanned out in publish order …
   */
  fanoutOrdered: { name: 'sluice-fanout-ordered', batchSize: 10, consumerTimeoutSeconds: 30, maxReceiveCount: 5, fifo: true },
  /**
   * … and their deliveries, one message group per endpoint: one in flight at a time. A task behind a
   * failing one is received and handed back (not attempted) while it waits, so its receive count grows
   * with its predecessors' retries: the DLQ threshold is SQS's maximum.
   */
  deliveryOrdered: { name: 'sluice-delivery-ordered', batchSize: 10, consumerTimeoutSeconds: 60, maxReceiveCount: 1000, fifo: true },
} as const satisfies Record<string, QueueSpec>;

const fifoSuffix = (queue: QueueSpec): string => (queue.fifo === true ? '.fifo' : '');
/** The queue's SQS name. */
export const queueName = (queue: QueueSpec): string => `${queue.name}${fifoSuffix(queue)}`;
export const dlqName = (queue: QueueSpec): string => `${queue.name}-dlq${fifoSuffix(queue)}`;
export const visibilityTimeoutSeconds = (queue: QueueSpec): number => queue.consumerTimeoutSeconds * 6;
/** 14 days, the SQS maximum. */
export const QUEUE_RETENTION_SECONDS = 14 * 24 * 3600;
/** 1 MiB, the SQS maximum. */
export const QUEUE_MAX_MESSAGE_BYTES = 1024 * 1024;

export const DELIVERY = {
  /** One HTTP attempt; must stay below the delivery function's timeout. */
  attemptTimeoutMs: 15_000,
  /** The receiver's response body is kept up to this many bytes in the attempt log. */
  responseBodyMaxBytes: 4096,
  /** Svix's default schedule (seconds after the previous attempt): 8 attempts, ~27.6 h in all. */
  defaultRetryScheduleSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
  /** An endpoint failing this long without a single success is disabled (Svix: 5 days). */
  defaultDisableAfterDays: 5,
  /** After a timeout or a 429 the next attempt waits at least this long. */
  defaultOverloadMinDelaySeconds: 60,
  /** A delivery worker's endpoint cache TTL (ENV.endpointCacheSeconds). */
  defaultEndpointCacheSeconds: 5,
  /** The most ENV.endpointCacheSeconds may be: an edit must reach every worker within a minute. */
  maxEndpointCacheSeconds: 60,
} as const;

/**
 * The Secrets Manager secret holding the admin token (AWS): its SecretString is JSON `{"token": "…"}`;
 * the stack generates it (48 characters A-Z a-z 0-9, no prefix: see lib/admin-token.ts; an operator may
 * put any token of at least 16 characters, e.g. `sluice_admin_…`), the api function reads it at cold start.
 */
export const ADMIN_TOKEN_SECRET = { jsonKey: 'token' } as const;

/**
 * The KMS encryption context of every data key that seals endpoint secrets: the stack's IAM grants
 * require it (lib/secrets-key.ts), the KMS cipher sends it (functions/adapters/kms/kms-cipher.ts).
 */
export const SECRETS_KMS_CONTEXT = { purpose: 'sluice-endpoint-secrets' } as const;
