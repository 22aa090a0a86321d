/**
 * Creates the table, queues and payload bucket in the emulators from the same definitions the CDK stack uses
 * (functions/shared/names.ts). Idempotent: safe on every start, with or without persisted state.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  QUEUE_MAX_MESSAGE_BYTES,
  QUEUE_RETENTION_SECONDS,
  QUEUES,
  TABLE,
  dlqName,
  queueName,
  visibilityTimeoutSeconds,
  type QueueSpec,
} from '../functions/shared/names.ts';

/** The local stack's payload bucket (SLUICE_PAYLOAD_BUCKET): payloads over 256 KiB. */
export const LOCAL_PAYLOAD_BUCKET = 'sluice-payloads';

export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou) && (error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
}

export async function ensureTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const { gsi1 } = TABLE;
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE.sortKey, AttributeType: 'S' },
          { AttributeName: gsi1.partitionKey, AttributeType: 'S' },
          { AttributeName: gsi1.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.name,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
}

export interface QueueUrls {
  fanout: string;
  fanoutDlq: string;
  delivery: string;
  deliveryDlq: string;
  /** The slow lane (QUEUES.deliverySlow). */
  deliverySlow: string;
  deliverySlowDlq: string;
  /** Ordered endpoints' FIFO queues (QUEUES.fanoutOrdered, QUEUES.deliveryOrdered). */
  fanoutOrdered: string;
  fanoutOrderedDlq: string;
  deliveryOrdered: string;
  deliveryOrderedDlq: string;
}

/** CreateQueue returns the existing queue when the attributes match, so this is idempotent. */
async function ensureQueuePair(sqs: SQSClient, spec: QueueSpec, prefix: string): Promise<[string, string]> {
  const common = {
    MessageRetentionPeriod: String(QUEUE_RETENTION_SECONDS),
    MaximumMessageSize: String(QUEUE_MAX_MESSAGE_BYTES),
    ...(spec.fifo === true ? { FifoQueue: 'true' } : {}),
  };
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: prefix + dlqName(spec), Attributes: common }));
  const dlqUrl = dlq.QueueUrl!;
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: prefix + queueName(spec),
      Attributes: {
        ...common,
        VisibilityTimeout: String(visibilityTimeoutSeconds(spec)),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
      },
    }),
  );
  return [queue.QueueUrl!, dlqUrl];
}

/** Test-only changes to the queue specs (e.g. a short consumer timeout, hence visibility, for chaos runs). */
export type QueueSpecOverrides = { [K in keyof typeof QUEUES]?: Partial<QueueSpec> };

/** `prefix` lets several stacks share one emulator (tests). */
export async function ensureQueues(sqs: SQSClient, prefix = '', overrides: QueueSpecOverrides = {}): Promise<QueueUrls> {
  const [fanout, fanoutDlq] = await ensureQueuePair(sqs, { ...QUEUES.fanout, ...overrides.fanout }, prefix);
  const [delivery, deliveryDlq] = await ensureQueuePair(sqs, { ...QUEUES.delivery, ...overrides.delivery }, prefix);
  const [deliverySlow, deliverySlowDlq] = await ensureQueuePair(sqs, { ...QUEUES.deliverySlow, ...overrides.deliverySlow }, prefix);
  const [fanoutOrdered, fanoutOrderedDlq] = await ensureQueuePair(sqs, { ...QUEUES.fanoutOrdered, ...overrides.fanoutOrdered }, prefix);
  const [deliveryOrdered, deliveryOrderedDlq] = await ensureQueuePair(sqs, { ...QUEUES.deliveryOrdered, ...overrides.deliveryOrdered }, prefix);
  return { fanout, fanoutDlq, delivery, deliveryDlq, deliverySlow, deliverySlowDlq, fanoutOrdered, fanoutOrderedDlq, deliveryOrdered, deliveryOrderedDlq };
}
