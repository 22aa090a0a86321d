/**
 * cdk-nag's AwsSolutions pack over the whole stack, in its default configuration and with every
 * optional part on (alarm e-mail topic, tracing, private-network settings, operational webhooks):
 * synthesis fails on any finding that is not acknowledged, and every acknowledgement carries a reason.
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`): the rules read the template, not the code.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext } from './template-helpers.ts';

const ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';

function synthWithNag(context: Record<string, unknown>): { app: App; stack: SluiceStack } {
  const app = appWithContext({ 'aws:cdk:bundling-stacks': [], ...context });
  const stack = new SluiceStack(app, 'Sluice');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth(); // throws "Validation failed" listing every unacknowledged finding
  return { app, stack };
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === ACKNOWLEDGED)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

describe('AwsSolutions pack', () => {
  test('default stack: zero unacknowledged findings', () => {
    const { app, stack } = synthWithNag({});
    expect([stack.api.handler, stack.workers.fanout, stack.workers.delivery].map((f) => f.entry)).toEqual([
      'functions/api/index.ts',
      'functions/fanout/index.ts',
      'functions/deliver/index.ts',
    ]);
    const acks = acknowledgements(app);
    expect(acks.map((a) => a.id.replace(/<Storage[^>]+>/, '<Table>')).sort()).toEqual(
      [
        'AwsSolutions::AwsSolutions-APIG2',
        'AwsSolutions::AwsSolutions-APIG3',
        'AwsSolutions::AwsSolutions-APIG4',
        'AwsSolutions::AwsSolutions-APIG4',
        'AwsSolutions::AwsSolutions-COG4',
        'AwsSolutions::AwsSolutions-COG4',
        'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<Table>/index/*]',
        'AwsSolutions::AwsSolutions-SMG4',
        // The payload bucket (lib/payload-bucket.ts): no access logs, and object grants for api, fan-out, delivery.
        'AwsSolutions::AwsSolutions-S1',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<PayloadsBucket1715615A.Arn>/*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<PayloadsBucket1715615A.Arn>/*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<PayloadsBucket1715615A.Arn>/*]',
        // AWS-native destinations (lib/destinations.ts): delivery assumes customers' roles, never its own account's.
        'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/*]',
        // The portal (lib/portal.ts): its two public GET methods, its bucket, its read role, and CDK's
        // BucketDeployment function that copies the files at deploy.
        'AwsSolutions::AwsSolutions-APIG4',
        'AwsSolutions::AwsSolutions-APIG4',
        'AwsSolutions::AwsSolutions-COG4',
        'AwsSolutions::AwsSolutions-COG4',
        'AwsSolutions::AwsSolutions-S1',
        'AwsSolutions::AwsSolutions-L1',
        'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions::AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions::AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<PortalFilesA1E38FB9.Arn>/*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::<PortalFilesA1E38FB9.Arn>/portal/assets/*]',
        'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      ].sort(),
    );
  });

  test('every optional part on: still zero unacknowledged findings', () => {
    const { app, stack } = synthWithNag({
      alarmEmail: 'ops@example.com',
      tracing: 'true',
      allowPrivateNetworks: 'false',
      allowedSubnets: '10.1.0.0/16',
      requireHttps: 'true',
      removalPolicy: 'destroy',
      operationalWebhookUrl: 'https://ops.example.com/sluice',
      operationalWebhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    // Tracing adds X-Ray's Resource "*" on each function role: acknowledged there, and only then.
    expect(acknowledgements(app).filter((a) => a.id.endsWith('IAM5[Resource::*]'))).toHaveLength(3);
    // Tracing also bundles the traced entries (Powertools Tracer around the same handlers), and turns
    // on active tracing for the functions and X-Ray on the REST stage.
    expect([stack.api.handler, stack.workers.fanout, stack.workers.delivery].map((f) => f.entry)).toEqual([
      'functions/api/traced.ts',
      'functions/fanout/traced.ts',
      'functions/deliver/traced.ts',
    ]);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: { Mode: 'Active' } } }))).toHaveLength(3);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  test('each acknowledgement gives its reason', () => {
    const { app } = synthWithNag({ tracing: 'true' });
    for (const ack of acknowledgements(app)) expect([ack.id, ack.reason.length > 60]).toEqual([ack.id, true]);
  });
});
