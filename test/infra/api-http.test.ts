/**
 * The cost options together, `-c api=http -c capacity=provisioned` (lib/http-api.ts, lib/storage.ts),
 * in one synth (each synth costs seconds of the suite) with cdk-nag's AwsSolutions pack
 * (zero unacknowledged findings), whose template the other cases read: every route and method to the
 * api function with payload format 1.0 (the REST proxy's event shape, so the handler is unchanged), the
 * portal's two paths to the portal-files function, `$default` stage with throttling and JSON access
 * logs, no REST API and no portal bucket, the dashboard and 5xx alarm on the HTTP API's metrics, and
 * provisioned table capacity with auto scaling. (stack.test.ts checks the default: REST, on demand.)
 * Bundling is skipped: the rules and assertions read the template.
 */
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { DEFAULT_API_THROTTLE } from '../../lib/stack-props.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;

beforeAll(() => {
  const app = appWithContext({
    'aws:cdk:bundling-stacks': [],
    api: 'http',
    portalFrameAncestors: 'https://app.example.com',
    capacity: 'provisioned',
    readCapacity: '3-30',
    writeCapacity: '4-400',
    capacityTargetUtilization: '60',
  });
  stack = new SluiceStack(app, 'Sluice');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth(); // throws "Validation failed" on any unacknowledged finding
  template = Template.fromStack(stack);
});

const resources = (type: string) => Object.entries(template.findResources(type)).map(([id, r]) => ({ id, ...r.Properties }));

test('an HTTP API instead of the REST API, and no portal bucket', () => {
  template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
  template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
  template.resourceCountIs('AWS::S3::Bucket', 1); // the payload bucket only: no portal bucket
  expect(stack.portal).toBeUndefined();
});

test('every route and method reach the api function (payload 1.0); the portal paths reach the portal-files function', () => {
  const integrations = new Map(resources('AWS::ApiGatewayV2::Integration').map((i) => [i.id, i]));
  const target = (route: { Target: unknown }) => {
    const id = JSON.stringify(route.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
    const integration = integrations.get(id)!;
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0' });
    const uri = JSON.stringify(integration['IntegrationUri']);
    if (uri.includes(logicalId(stack.api.handler.function))) return 'api';
    if (uri.includes(logicalId(stack.api.portalFiles!.function))) return 'portal-files';
    return 'other';
  };
  const routes = Object.fromEntries(resources('AWS::ApiGatewayV2::Route').map((r) => [r['RouteKey'], target(r as never)]));
  expect(routes).toEqual({
    $default: 'api',
    'GET /portal': 'portal-files',
    'HEAD /portal': 'portal-files',
    'GET /portal/assets/{file}': 'portal-files',
    'HEAD /portal/assets/{file}': 'portal-files',
  });
  // No gateway CORS: OPTIONS goes to the function, which answers preflights (as locally and on REST).
  expect(resources('AWS::ApiGatewayV2::Api')[0]?.['CorsConfiguration']).toBeUndefined();
});

test('$default stage: auto-deployed, throttled, JSON access logs without headers', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
    StageName: '$default',
    AutoDeploy: true,
    DefaultRouteSettings: Match.objectLike({
      ThrottlingRateLimit: DEFAULT_API_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_API_THROTTLE.burstLimit,
    }),
  });
  const logs = resources('AWS::ApiGatewayV2::Stage')[0]?.['AccessLogSettings'] as { DestinationArn: unknown; Format: string };
  expect(JSON.stringify(logs.DestinationArn)).toContain(`"${logicalId(stack.api.accessLogGroup)}"`);
  expect(JSON.parse(logs.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  expect(logs.Format).not.toMatch(/authorization|header/i);
});

test("the portal-files function gets the operator's frame-ancestors and nothing else", () => {
  const fn = resources('AWS::Lambda::Function').find((f) => f.id === logicalId(stack.api.portalFiles!.function))!;
  expect(fn['Environment']).toMatchObject({ Variables: { SLUICE_PORTAL_FRAME_ANCESTORS: 'https://app.example.com' } });
  const policies = resources('AWS::IAM::Policy').filter((p) => JSON.stringify(p['Roles']).includes(logicalId(stack.api.portalFiles!.role)));
  const actions = policies.flatMap((p) => (p['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action));
  expect([...new Set(actions)].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
});

test('ApiUrl is the HTTP API endpoint (no stage in the path); the dashboard and the 5xx alarm read its metrics', () => {
  const output = template.findOutputs('ApiUrl')['ApiUrl'];
  expect(JSON.stringify(output?.Value)).toContain(logicalId(stack.api.httpApi!));
  expect(JSON.stringify(output?.Value)).not.toContain('/prod');
  const alarms = resources('AWS::CloudWatch::Alarm').filter((a) => a['Namespace'] === 'AWS/ApiGateway');
  expect(alarms).toHaveLength(1);
  expect(alarms[0]).toMatchObject({ MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.httpApi!) } }] });
  const dashboard = JSON.stringify(resources('AWS::CloudWatch::Dashboard')[0]?.['DashboardBody']);
  expect(dashboard).toContain('\\"AWS/ApiGateway\\",\\"5xx\\",\\"ApiId\\"');
});

test('an unknown gateway kind fails synth', () => {
  expect(() => new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], api: 'graphql' }), 'Sluice')).toThrow('api must be rest or http, got "graphql"');
});

test('provisioned capacity with auto scaling between the bounds given', () => {
  const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]?.Properties;
  expect(table.BillingMode).toBeUndefined(); // PROVISIONED is CloudFormation's default: CDK leaves it out
  expect(table.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
  expect(table.GlobalSecondaryIndexes.map((i: { IndexName: string; ProvisionedThroughput: unknown }) => [i.IndexName, i.ProvisionedThroughput])).toEqual([
    ['gsi1', { ReadCapacityUnits: 3, WriteCapacityUnits: 4 }],
  ]);
  const targets = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')).map((t) => t.Properties);
  expect(targets.map((t) => [t.ScalableDimension, t.MinCapacity, t.MaxCapacity]).sort()).toEqual([
    ['dynamodb:index:ReadCapacityUnits', 3, 30],
    ['dynamodb:index:WriteCapacityUnits', 4, 400],
    ['dynamodb:table:ReadCapacityUnits', 3, 30],
    ['dynamodb:table:WriteCapacityUnits', 4, 400],
  ]);
  const policies = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((p) => p.Properties);
  expect(policies).toHaveLength(4);
  for (const p of policies) expect(p.TargetTrackingScalingPolicyConfiguration.TargetValue).toBe(60);
});
