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
import { Api } from './api.ts';
import { Queues } from './queues.ts';
import { SecretsKey } from './secrets-key.ts';
import { resolveSettings, type ResolvedSettings, type SluiceSettings } from './stack-props.ts';
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
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: SluiceStackProps = {}) {
    super(scope, id, props);
    // Validate first: a bad setting fails synth before anything is bundled.
    const settings = resolveSettings(props, this.node);
    this.settings = settings;

    this.storage = new Storage(this, 'Storage', { removalPolicy: settings.removalPolicy });
    this.queues = new Queues(this, 'Queues');
    this.adminToken = new AdminToken(this, 'AdminToken');
    this.secretsKey = new SecretsKey(this, 'SecretsKey', { removalPolicy: settings.removalPolicy });
    const table = this.storage.table;

    // Every function gets the whole configuration, because functions/shared/config.ts parses all of it
    // at cold start (queue URLs and the secret ARN are required). Names are not permissions: what each
    // function may do is decided by the grants in Api and Workers.
    const environment: Record<string, string> = {
      [ENV.tableName]: table.tableName,
      [ENV.fanoutQueueUrl]: this.queues.fanout.queue.queueUrl,
      [ENV.deliveryQueueUrl]: this.queues.delivery.queue.queueUrl,
      [ENV.adminTokenSecretArn]: this.adminToken.secret.secretArn,
      [ENV.retrySchedule]: settings.retrySchedule.join(','),
      [ENV.allowPrivateNetworks]: String(settings.allowPrivateNetworks),
      [ENV.allowedSubnets]: settings.allowedSubnets.join(','),
      [ENV.requireHttps]: String(settings.requireHttps),
      [ENV.secretsKeyArn]: this.secretsKey.key.keyArn,
      [ENV.logLevel]: 'INFO',
      [ENV.disableAfterDays]: String(settings.disableAfterDays),
      ...(settings.operationalWebhook === undefined
        ? {}
        : {
            [ENV.operationalWebhookUrl]: settings.operationalWebhook.url,
            [ENV.operationalWebhookSecret]: settings.operationalWebhook.secret,
          }),
    };

    this.api = new Api(this, 'Api', {
      table,
      fanoutQueue: this.queues.fanout,
      deliveryQueue: this.queues.delivery,
      adminTokenSecret: this.adminToken.secret,
      environment,
      throttle: settings.apiThrottle,
      removalPolicy: settings.removalPolicy,
      tracing: settings.tracing,
    });
    this.workers = new Workers(this, 'Workers', {
      table,
      fanoutQueue: this.queues.fanout,
      deliveryQueue: this.queues.delivery,
      environment,
      fanoutMaxConcurrency: settings.fanoutMaxConcurrency,
      deliveryMaxConcurrency: settings.deliveryMaxConcurrency,
      operationalWebhooks: settings.operationalWebhook !== undefined,
      removalPolicy: settings.removalPolicy,
      tracing: settings.tracing,
    });
    // Endpoint signing secrets: the api seals and opens them, delivery only opens them, fan-out neither.
    this.secretsKey.grantSealAndOpen(this.api.handler.function);
    this.secretsKey.grantOpen(this.workers.delivery.function);

    this.alarms = new Alarms(this, 'Alarms', {
      queues: { Fanout: this.queues.fanout, Delivery: this.queues.delivery },
      functions: {
        Api: this.api.handler.function,
        Fanout: this.workers.fanout.function,
        Delivery: this.workers.delivery.function,
      },
      restApi: this.api.restApi,
      alarmEmail: settings.alarmEmail,
    });

    const out = (id: string, value: string, description: string): void => {
      new CfnOutput(this, id, { value, description });
    };
    out('ApiUrl', this.api.url, 'Svix SDK serverUrl: new Svix(token, { serverUrl: ApiUrl })');
    out('AdminTokenSecretArn', this.adminToken.secret.secretArn, 'Secrets Manager secret {"token": "..."}: the admin bearer token');
    out('TableName', table.tableName, 'DynamoDB table');
    out('FanoutQueueUrl', this.queues.fanout.queue.queueUrl, 'Fan-out queue');
    out('FanoutDeadLetterQueueUrl', this.queues.fanout.deadLetterQueue.queueUrl, 'Fan-out dead-letter queue');
    out('DeliveryQueueUrl', this.queues.delivery.queue.queueUrl, 'Delivery queue');
    out('DeliveryDeadLetterQueueUrl', this.queues.delivery.deadLetterQueue.queueUrl, 'Delivery dead-letter queue');
  }
}
