/**
 * The Sluice stack: storage, queues, the admin token, the API and the two workers, wired with
 * least-privilege grants, plus alarms and the outputs an operator needs (ApiUrl is the Svix SDK's
 * `serverUrl`). Settings come from props or CDK context: see lib/stack-props.ts.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/names.ts';
import { AdminToken } from './admin-token.ts';
import { Alarms } from './alarms.ts';
import { Dashboard } from './dashboard.ts';
import { SluiceMetrics } from './sluice-metrics.ts';
import { METRICS_NAMESPACE_ENV, namespaceFor } from '../functions/core/metrics/catalog.ts';
import { Api } from './api.ts';
import { Portal, portalFrameAncestorsSetting } from './portal.ts';
import { Queues } from './queues.ts';
import { SecretsKey } from './secrets-key.ts';
import { resolveSettings, type ResolvedSettings, type SluiceSettings } from './stack-props.ts';
import { PayloadBucket } from './payload-bucket.ts';
import { Storage } from './storage.ts';
import { Workers } from './workers.ts';

export interface SluiceStackProps extends StackProps, SluiceSettings {}

export class SluiceStack extends Stack {
  readonly settings: ResolvedSettings;
  readonly storage: Storage;
  readonly queues: Queues;
  readonly adminToken: AdminToken;
  readonly secretsKey: SecretsKey;
  readonly api: Api;
  readonly workers: Workers;
  readonly payloads: PayloadBucket;
  readonly alarms: Alarms;
  /** The S3-backed portal of a REST API deployment (an HTTP API's is Api.portalFiles). */
  readonly portal: Portal | undefined;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: SluiceStackProps = {}) {
    super(scope, id, props);
    // Validate first: a bad setting fails synth before anything is bundled.
    const settings = resolveSettings(props, this.node);
    this.settings = settings;

    this.storage = new Storage(this, 'Storage', { removalPolicy: settings.removalPolicy, capacity: settings.capacity });
    this.queues = new Queues(this, 'Queues');
    this.adminToken = new AdminToken(this, 'AdminToken');
    this.secretsKey = new SecretsKey(this, 'SecretsKey', { removalPolicy: settings.removalPolicy });
    const table = this.storage.table;
    this.payloads = new PayloadBucket(this, 'Payloads', { removalPolicy: settings.removalPolicy });

    // Every function gets the whole configuration, because functions/shared/config.ts parses all of it
    // at cold start (queue URLs and the secret ARN are required). Names are not permissions: what each
    // function may do is decided by the grants in Api and Workers.
    // Every function writes its metrics as EMF into this namespace (one per stack, so stages don't mix).
    const metricsNamespace = namespaceFor(this.stackName);
    const environment: Record<string, string> = {
      [METRICS_NAMESPACE_ENV]: metricsNamespace,
      [ENV.tableName]: table.tableName,
      [ENV.fanoutQueueUrl]: this.queues.fanout.queue.queueUrl,
      [ENV.deliveryQueueUrl]: this.queues.delivery.queue.queueUrl,
      [ENV.deliverySlowQueueUrl]: this.queues.deliverySlow.queue.queueUrl,
      [ENV.fanoutOrderedQueueUrl]: this.queues.fanoutOrdered.queue.queueUrl,
      [ENV.deliveryOrderedQueueUrl]: this.queues.deliveryOrdered.queue.queueUrl,
      [ENV.adminTokenSecretArn]: this.adminToken.secret.secretArn,
      [ENV.retrySchedule]: settings.retrySchedule.join(','),
      [ENV.allowPrivateNetworks]: String(settings.allowPrivateNetworks),
      [ENV.allowedSubnets]: settings.allowedSubnets.join(','),
      [ENV.requireHttps]: String(settings.requireHttps),
      [ENV.secretsKeyArn]: this.secretsKey.key.keyArn,
      [ENV.logLevel]: 'INFO',
      [ENV.disableAfterDays]: String(settings.disableAfterDays),
      [ENV.corsOrigins]: settings.corsOrigins === '*' ? '*' : settings.corsOrigins.join(','),
      [ENV.defaultSignatureType]: settings.defaultSignatureType,
      [ENV.payloadBucket]: this.payloads.bucket.bucketName,
      ...(settings.operationalWebhook === undefined
        ? {}
        : {
            [ENV.operationalWebhookUrl]: settings.operationalWebhook.url,
            [ENV.operationalWebhookSecret]: settings.operationalWebhook.secret,
          }),
    };

    const frameAncestors = portalFrameAncestorsSetting(this.node);
    this.api = new Api(this, 'Api', {
      table,
      fanoutQueue: this.queues.fanout,
      deliveryQueue: this.queues.delivery,
      adminTokenSecret: this.adminToken.secret,
      environment,
      kind: settings.api,
      throttle: settings.apiThrottle,
      corsOrigins: settings.corsOrigins,
      frameAncestors,
      removalPolicy: settings.removalPolicy,
      tracing: settings.tracing,
    });
    this.workers = new Workers(this, 'Workers', {
      table,
      fanoutQueue: this.queues.fanout,
      deliveryQueue: this.queues.delivery,
      deliverySlowQueue: this.queues.deliverySlow,
      fanoutOrderedQueue: this.queues.fanoutOrdered,
      deliveryOrderedQueue: this.queues.deliveryOrdered,
      environment,
      fanoutMaxConcurrency: settings.fanoutMaxConcurrency,
      deliveryMaxConcurrency: settings.deliveryMaxConcurrency,
      operationalWebhooks: settings.operationalWebhook !== undefined,
      removalPolicy: settings.removalPolicy,
      tracing: settings.tracing,
    });
    // The app portal at <ApiUrl>/portal, on the API's own origin: behind the REST API read from S3
    // by the gateway (lib/portal.ts says why), behind the HTTP API served by its own function.
    this.portal =
      this.api.restApi === undefined
        ? undefined
        : new Portal(this, 'Portal', { restApi: this.api.restApi, frameAncestors, removalPolicy: settings.removalPolicy });
    // EndpointOut shows AWS-native destinations the principal their roles must trust: the delivery role.
    this.api.handler.function.addEnvironment(ENV.destinationPrincipalArn, this.workers.destinationPrincipalArn);
    // Endpoint signing secrets: the api seals and opens them, delivery only opens them, fan-out neither.
    this.secretsKey.grantSealAndOpen(this.api.handler.function);
    this.secretsKey.grantOpen(this.workers.delivery.function);
    // Payloads over 256 KiB: the api keeps and expunges them, fan-out (filters) and delivery read them.
    this.payloads.grant(this.api.handler.role, 'read-write');
    this.payloads.grant(this.workers.fanout.role, 'read');
    this.payloads.grant(this.workers.delivery.role, 'read');

    // Apps with ordered endpoints publish into the FIFO fan-out queue.
    this.queues.fanoutOrdered.queue.grantSendMessages(this.api.handler.function);
    // GET /ops/queues reads every queue's and DLQ's depths.
    for (const q of Object.values(this.queues.all)) {
      for (const queue of [q.queue, q.deadLetterQueue]) queue.grant(this.api.handler.function, 'sqs:GetQueueAttributes');
    }

    const metrics = new SluiceMetrics(metricsNamespace);
    const functions = {
      Api: this.api.handler.function,
      Fanout: this.workers.fanout.function,
      Delivery: this.workers.delivery.function,
    };
    this.alarms = new Alarms(this, 'Alarms', {
      metrics,
      deliveryQueue: this.queues.delivery,
      queues: this.queues.all,
      functions,
      api: this.api.metrics,
      alarmEmail: settings.alarmEmail,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-sluice`,
      metrics,
      queues: this.queues.all,
      functions,
      api: this.api.metrics,
      alarms: this.alarms.alarms,
    });

    const out = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    out('ApiUrl', this.api.url, 'Svix SDK serverUrl: new Svix(token, { serverUrl: ApiUrl })');
    out('PortalUrl', `${this.api.url}/portal`, 'The app portal and operator console (appPortalAccess links open it)');
    out('AdminTokenSecretArn', this.adminToken.secret.secretArn, 'Secrets Manager secret {"token": "..."}: the admin bearer token');
    out('TableName', table.tableName, 'DynamoDB table');
    out('FanoutQueueUrl', this.queues.fanout.queue.queueUrl, 'Fan-out queue');
    out('FanoutDeadLetterQueueUrl', this.queues.fanout.deadLetterQueue.queueUrl, 'Fan-out dead-letter queue');
    out('DeliveryQueueUrl', this.queues.delivery.queue.queueUrl, 'Delivery queue');
    out('DeliveryDeadLetterQueueUrl', this.queues.delivery.deadLetterQueue.queueUrl, 'Delivery dead-letter queue');
    out('DeliverySlowQueueUrl', this.queues.deliverySlow.queue.queueUrl, 'Delivery slow lane (endpoints that hang or answer slowly)');
    out('DeliverySlowDeadLetterQueueUrl', this.queues.deliverySlow.deadLetterQueue.queueUrl, 'Delivery slow lane dead-letter queue');
    out('FanoutOrderedQueueUrl', this.queues.fanoutOrdered.queue.queueUrl, 'Fan-out FIFO queue of apps with ordered endpoints');
    out('DeliveryOrderedQueueUrl', this.queues.deliveryOrdered.queue.queueUrl, 'Delivery FIFO queue of ordered endpoints (a message group per endpoint)');
    out('DeliveryOrderedDeadLetterQueueUrl', this.queues.deliveryOrdered.deadLetterQueue.queueUrl, 'Delivery FIFO dead-letter queue');
    out('DashboardUrl', this.dashboard.url, 'CloudWatch dashboard: traffic, outcomes, latency, queues, functions, API');
    out('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic every alarm notifies (subscribe a pager or chat here)');
    out(
      'DestinationPrincipalArn',
      this.workers.destinationPrincipalArn,
      'AWS-native destinations (SQS, SNS, EventBridge): customers trust this principal in their role\'s trust policy, with the endpoint\'s externalId as sts:ExternalId',
    );
  }
}
