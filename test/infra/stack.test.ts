/**
 * CDK assertions on the Sluice stack. One synth for the whole file (beforeAll): NodejsFunction bundles
 * the three real entries with esbuild while the template is built.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_TOKEN_SECRET,
  DELIVERY,
  ENV,
  QUEUE_MAX_MESSAGE_BYTES,
  QUEUE_RETENTION_SECONDS,
  QUEUES,
  TABLE,
  dlqName,
  type QueueSpec,
} from '../../functions/shared/names.ts';
import { ESM_REQUIRE_BANNER, applicationLogLevel } from '../../lib/sluice-function.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import type { WorkQueue } from '../../lib/queues.ts';
import { DEFAULT_SLOW_LANE_MAX_CONCURRENCY } from '../../lib/workers.ts';
import { allowedActions, appWithContext, logicalId, roleStatements } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;
let assemblyDir: string;

beforeAll(() => {
  const app = appWithContext();
  stack = new SluiceStack(app, 'Sluice');
  template = Template.fromStack(stack);
  assemblyDir = app.synth().directory;
});

const functions = () => ({
  api: stack.api.handler.function,
  fanout: stack.workers.fanout.function,
  delivery: stack.workers.delivery.function,
});
const tableId = () => logicalId(stack.storage.table);
const queueId = (q: WorkQueue) => logicalId(q.queue);

describe('table', () => {
  test('pk/sk strings, gsi1 with projection ALL, on-demand, PITR, TTL, encryption', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
        { AttributeName: TABLE.gsi1.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.gsi1.sortKey, AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE.gsi1.name,
          KeySchema: [
            { AttributeName: TABLE.gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.gsi1.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      // SSEEnabled without a key = the AWS managed key aws/dynamodb (KMS); absent would be AWS owned.
      SSESpecification: { SSEEnabled: true },
    });
  });

  test('is retained when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('queues', () => {
  const cases: [string, QueueSpec, () => WorkQueue, () => string][] = [
    ['fan-out', QUEUES.fanout, () => stack.queues.fanout, () => logicalId(stack.workers.fanout.function)],
    ['delivery', QUEUES.delivery, () => stack.queues.delivery, () => logicalId(stack.workers.delivery.function)],
  ];

  test.each(cases)('%s queue and its DLQ: retention, size, SSE', (_label, spec) => {
    for (const name of [`Sluice-${spec.name}`, `Sluice-${dlqName(spec)}`]) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: name,
        MessageRetentionPeriod: QUEUE_RETENTION_SECONDS,
        MaximumMessageSize: QUEUE_MAX_MESSAGE_BYTES,
        SqsManagedSseEnabled: true,
      });
    }
  });

  test.each(cases)('%s queue: visibility = 6 × the consumer timeout, redrive after maxReceiveCount', (_l, spec, queue, fnId) => {
    const props = template.toJSON().Resources[queueId(queue())].Properties;
    const consumer = template.toJSON().Resources[fnId()].Properties;
    expect(consumer.Timeout).toBe(spec.consumerTimeoutSeconds);
    expect(props.VisibilityTimeout).toBe(6 * consumer.Timeout);
    expect(props.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(queue().deadLetterQueue), 'Arn'] },
      maxReceiveCount: spec.maxReceiveCount,
    });
  });

  test('all four queues deny non-TLS access', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const ids = [stack.queues.fanout, stack.queues.delivery].flatMap((q) => [queueId(q), logicalId(q.deadLetterQueue)]);
    for (const id of ids) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(`"${id}"`));
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('functions', () => {
  test.each([
    ['api', 29, 512],
    ['fanout', QUEUES.fanout.consumerTimeoutSeconds, 256],
    ['delivery', QUEUES.delivery.consumerTimeoutSeconds, 512],
  ] as const)('%s: nodejs24.x on arm64, timeout %d s, %d MB, ESM bundle', (name, timeout, memory) => {
    const props = template.toJSON().Resources[logicalId(functions()[name])].Properties;
    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: timeout,
      MemorySize: memory,
      Handler: 'index.handler',
    });
    expect(props.LoggingConfig.LogGroup).toBeDefined();
  });

  test('every function gets the full configuration from ENV', () => {
    for (const fn of Object.values(functions())) {
      const vars = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
      expect(vars[ENV.tableName]).toEqual({ Ref: tableId() });
      expect(vars[ENV.fanoutQueueUrl]).toEqual({ Ref: queueId(stack.queues.fanout) });
      expect(vars[ENV.deliveryQueueUrl]).toEqual({ Ref: queueId(stack.queues.delivery) });
      expect(vars[ENV.adminTokenSecretArn]).toEqual({ Ref: logicalId(stack.adminToken.secret) });
      expect(vars[ENV.retrySchedule]).toBe(DELIVERY.defaultRetryScheduleSeconds.join(','));
      expect(vars[ENV.allowPrivateNetworks]).toBe('false');
      expect(vars.POWERTOOLS_SERVICE_NAME).toMatch(/^sluice-/);
    }
  });

  test('JSON logs without Lambda\'s START/END/REPORT lines, at the level of POWERTOOLS_LOG_LEVEL', () => {
    for (const fn of Object.values(functions())) {
      const props = template.toJSON().Resources[logicalId(fn)].Properties;
      expect(props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' });
      expect(props.Environment.Variables[ENV.logLevel]).toBe('INFO');
    }
  });

  test.each([
    [undefined, 'INFO'],
    ['debug', 'DEBUG'],
    ['WARN', 'WARN'],
    ['CRITICAL', 'FATAL'],
    ['SILENT', 'FATAL'],
  ])('POWERTOOLS_LOG_LEVEL %s is Lambda application level %s', (level, expected) => {
    expect(applicationLogLevel(level)).toBe(expected);
  });

  test('log groups keep 30 days', () => {
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 4);
  });

  test('the three bundles are minified ESM with the createRequire banner', () => {
    const bundles = readdirSync(assemblyDir)
      // The function bundles (the portal's static files are an asset too, without index.mjs).
      .filter((d) => d.startsWith('asset.') && existsSync(join(assemblyDir, d, 'index.mjs')))
      .map((d) => readFileSync(join(assemblyDir, d, 'index.mjs'), 'utf8'));
    expect(bundles).toHaveLength(3);
    for (const code of bundles) {
      expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*as handler/);
      expect(code).toContain('//# sourceMappingURL=index.mjs.map');
      // The SDK clients come from the nodejs24.x runtime (lib/bundle-settings.ts), not the bundle.
      expect(code).toMatch(/from\s*"@aws-sdk\/client-(dynamodb|sqs)"/);
      expect(code).not.toContain('DynamoDBServiceException');
    }
  });
});

describe('event sources', () => {
  test.each([
    ['fanout', QUEUES.fanout, () => stack.queues.fanout],
    ['delivery', QUEUES.delivery, () => stack.queues.delivery],
    // Ordered endpoints: each function also consumes its FIFO queue.
    ['fanout', QUEUES.fanoutOrdered, () => stack.queues.fanoutOrdered],
    ['delivery', QUEUES.deliveryOrdered, () => stack.queues.deliveryOrdered],
  ] as const)('%s consumes its queue with partial batch responses', (name, spec, queue) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(queue()), 'Arn'] },
      FunctionName: { Ref: logicalId(functions()[name]) },
      BatchSize: spec.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the delivery function also consumes the slow lane, with capped concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId(stack.queues.deliverySlow), 'Arn'] },
      FunctionName: { Ref: logicalId(functions().delivery) },
      BatchSize: QUEUES.deliverySlow.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DEFAULT_SLOW_LANE_MAX_CONCURRENCY },
    });
  });

  test('exactly five mappings (fan-out and its FIFO queue, delivery, its slow lane and its FIFO queue), none on the API', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 5);
  });
});

describe('ordered endpoints\' FIFO queues', () => {
  test.each([
    ['fan-out', QUEUES.fanoutOrdered, () => stack.queues.fanoutOrdered],
    ['delivery', QUEUES.deliveryOrdered, () => stack.queues.deliveryOrdered],
  ] as const)('%s: FIFO in high-throughput mode, encrypted, with a FIFO dead-letter queue', (_name, spec, queue) => {
    const queues = template.findResources('AWS::SQS::Queue');
    const q = queues[queueId(queue())]!.Properties;
    expect(q.FifoQueue).toBe(true);
    expect(q.DeduplicationScope).toBe('messageGroup');
    expect(q.FifoThroughputLimit).toBe('perMessageGroupId');
    expect(q.SqsManagedSseEnabled).toBe(true);
    expect(q.QueueName).toBe(`${stack.stackName}-${spec.name}.fifo`);
    expect(q.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
    const dlq = queues[logicalId(queue().deadLetterQueue)]!.Properties;
    expect(dlq.FifoQueue).toBe(true);
    expect(dlq.QueueName).toBe(`${stack.stackName}-${spec.name}-dlq.fifo`);
  });

  test('the api sends into the FIFO fan-out queue and fan-out into the FIFO delivery queue; the functions know both', () => {
    const { api, fanout, delivery } = functions();
    expect(allowedActions(template, api, queueId(stack.queues.fanoutOrdered))).toContain('sqs:SendMessage');
    expect(allowedActions(template, api, queueId(stack.queues.deliveryOrdered))).not.toContain('sqs:SendMessage');
    expect(allowedActions(template, fanout, queueId(stack.queues.deliveryOrdered))).toContain('sqs:SendMessage');
    expect(allowedActions(template, fanout, queueId(stack.queues.fanoutOrdered))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility']));
    expect(allowedActions(template, delivery, queueId(stack.queues.deliveryOrdered))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility']));
    for (const fn of [api, fanout, delivery]) {
      const resource = template.findResources('AWS::Lambda::Function')[logicalId(fn)]!;
      const variables = resource.Properties.Environment.Variables as Record<string, unknown>;
      expect(variables[ENV.fanoutOrderedQueueUrl]).toEqual({ Ref: queueId(stack.queues.fanoutOrdered) });
      expect(variables[ENV.deliveryOrderedQueueUrl]).toEqual({ Ref: queueId(stack.queues.deliveryOrdered) });
    }
  });
});

describe('least-privilege IAM', () => {
  const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

  test('api: table read/write, sends to both queues, reads the admin token, consumes nothing', () => {
    const api = functions().api;
    expect(allowedActions(template, api, tableId())).toEqual(expect.arrayContaining([...writes, 'dynamodb:Query', 'dynamodb:GetItem']));
    expect(allowedActions(template, api, queueId(stack.queues.fanout))).toContain('sqs:SendMessage');
    expect(allowedActions(template, api, queueId(stack.queues.delivery))).toContain('sqs:SendMessage');
    expect(allowedActions(template, api, logicalId(stack.adminToken.secret))).toContain('secretsmanager:GetSecretValue');
    const all = roleStatements(template, api).flatMap((s) => s.Action);
    expect(all).not.toContain('sqs:ReceiveMessage');
    expect(all).not.toContain('sqs:DeleteMessage');
  });

  test('fan-out: reads the table but cannot write it, sends only to the delivery queue', () => {
    const fanout = functions().fanout;
    const onTable = allowedActions(template, fanout, tableId());
    expect(onTable).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const w of writes) expect(onTable).not.toContain(w);
    expect(allowedActions(template, fanout, queueId(stack.queues.delivery))).toContain('sqs:SendMessage');
    expect(allowedActions(template, fanout, queueId(stack.queues.fanout))).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
    expect(allowedActions(template, fanout, queueId(stack.queues.fanout))).not.toContain('sqs:SendMessage');
    expect(allowedActions(template, fanout, logicalId(stack.adminToken.secret))).toEqual([]);
  });

  test('delivery: table read/write, consumes and delays its queue, sends nowhere', () => {
    const delivery = functions().delivery;
    expect(allowedActions(template, delivery, tableId())).toEqual(expect.arrayContaining(writes));
    expect(allowedActions(template, delivery, queueId(stack.queues.delivery))).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']),
    );
    // SendMessage only to the slow lane's queue (tasks of slow endpoints are moved there).
    const sends = roleStatements(template, delivery).filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends.map((s) => JSON.stringify(s.Resource))).toEqual([JSON.stringify({ 'Fn::GetAtt': [queueId(stack.queues.deliverySlow), 'Arn'] })]);
    expect(allowedActions(template, delivery, logicalId(stack.adminToken.secret))).toEqual([]);
  });

  test('no statement grants on every resource', () => {
    for (const fn of Object.values(functions())) {
      const wildcard = roleStatements(template, fn).filter((s) => s.Resource === '*');
      // X-Ray (tracing) is the only legitimate '*'; it is off by default.
      expect(wildcard).toEqual([]);
    }
  });
});

describe('payload bucket', () => {
  test('encrypted, TLS only, never public, retained; one lifecycle rule per retention prefix', () => {
    const bucket = template.findResources('AWS::S3::Bucket')[logicalId(stack.payloads.bucket)]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const rules = bucket.Properties.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
    const expiring = rules.filter((r) => r.Prefix !== undefined);
    expect(expiring).toHaveLength(90);
    for (const rule of expiring) expect(rule.Prefix).toBe(`retention-${rule.ExpirationInDays}d/`);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the api writes, reads and deletes payloads; fan-out and delivery only read them', () => {
    const bucketId = logicalId(stack.payloads.bucket);
    const { api, fanout, delivery } = functions();
    expect(allowedActions(template, api, bucketId)).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(allowedActions(template, fanout, bucketId)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(allowedActions(template, delivery, bucketId)).toEqual(['s3:GetObject', 's3:ListBucket']);
  });
});

describe('admin token secret', () => {
  test('generated at deploy as {"token": <48 alphanumerics>}', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: ADMIN_TOKEN_SECRET.jsonKey,
        PasswordLength: 48,
        ExcludePunctuation: true,
        IncludeSpace: false,
      },
    });
  });
});
