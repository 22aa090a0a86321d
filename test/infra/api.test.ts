/**
 * The API Gateway side: REST API proxy, stage, throttling, access logs, the Svix-shaped Gateway
 * Responses and the ApiUrl output. Bundling is skipped (`aws:cdk:bundling-stacks: []`): nothing here
 * depends on the function code, and stack.test.ts already bundles it.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { SVIX_GATEWAY_RESPONSES } from '../../lib/gateway-responses.ts';
import { DEFAULT_API_THROTTLE } from '../../lib/stack-props.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

let stack: SluiceStack;
let template: Template;

beforeAll(() => {
  stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [] }), 'Sluice');
  template = Template.fromStack(stack);
});

const gatewayResponses = () =>
  Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);

describe('REST API', () => {
  test('a regional Lambda proxy on / and /{proxy+}', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    // The portal's GET methods (S3 integration, test/infra/portal.test.ts) are the other ones.
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'))
      .map((m) => m.Properties)
      .filter((m) => m.Integration.Type !== 'AWS');
    expect(methods).toHaveLength(2);
    for (const m of methods) {
      expect(m.HttpMethod).toBe('ANY');
      expect(m.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(m.Integration.Uri)).toContain(logicalId(stack.api.handler.function));
    }
  });

  test('stage prod with throttling and JSON access logs without headers', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: DEFAULT_API_THROTTLE.rateLimit,
          ThrottlingBurstLimit: DEFAULT_API_THROTTLE.burstLimit,
        }),
      ],
    });
    const logs = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties.AccessLogSetting;
    expect(JSON.stringify(logs.DestinationArn)).toContain(`"${logicalId(stack.api.accessLogGroup)}"`);
    expect(JSON.parse(logs.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(logs.Format).not.toMatch(/authorization|header/i);
  });

  test('the account-level CloudWatch role that access logging needs', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });
});

describe('Gateway Responses in the Svix error shape', () => {
  test.each([
    'DEFAULT_4XX',
    'DEFAULT_5XX',
    'MISSING_AUTHENTICATION_TOKEN',
    'THROTTLED',
    'QUOTA_EXCEEDED',
    'INTEGRATION_TIMEOUT',
    'INTEGRATION_FAILURE',
    'REQUEST_TOO_LARGE',
    'ACCESS_DENIED',
    'UNAUTHORIZED',
    'RESOURCE_NOT_FOUND',
    'BAD_REQUEST_BODY',
  ])('%s is overridden with a JSON {code, detail} body', (type) => {
    const r = gatewayResponses().find((p) => p.ResponseType === type);
    expect(r).toBeDefined();
    const body = JSON.parse(r!.ResponseTemplates['application/json']);
    expect(Object.keys(body).sort()).toEqual(['code', 'detail']);
    expect(body.code).toMatch(/^[a-z_]+$/);
    expect(body.detail.length).toBeGreaterThan(0);
  });

  test.each([
    ['REQUEST_TOO_LARGE', 'payload_too_large', undefined],
    ['THROTTLED', 'rate_limited', undefined],
    ['QUOTA_EXCEEDED', 'rate_limited', undefined],
    ['UNAUTHORIZED', 'authentication_failed', undefined],
    ['MISSING_AUTHENTICATION_TOKEN', 'not_found', '404'],
    ['INTEGRATION_TIMEOUT', 'timeout', undefined],
    ['DEFAULT_5XX', 'internal_error', undefined],
  ])('%s → code %s, status %s', (type, code, status) => {
    const r = gatewayResponses().find((p) => p.ResponseType === type);
    expect(JSON.parse(r!.ResponseTemplates['application/json']).code).toBe(code);
    expect(r!.StatusCode).toBe(status);
  });

  test('one per table entry, each type once', () => {
    const types = gatewayResponses().map((p) => p.ResponseType);
    expect(types).toHaveLength(SVIX_GATEWAY_RESPONSES.length);
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('outputs', () => {
  test('ApiUrl is the stage URL without a trailing slash (the Svix serverUrl)', () => {
    const [separator, parts] = template.findOutputs('ApiUrl').ApiUrl!.Value['Fn::Join'];
    expect(separator).toBe('');
    expect(parts).toEqual([
      'https://', { Ref: logicalId(stack.api.restApi!) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod',
    ]);
  });

  test.each([
    ['AdminTokenSecretArn', () => ({ Ref: logicalId(stack.adminToken.secret) })],
    ['TableName', () => ({ Ref: logicalId(stack.storage.table) })],
    ['FanoutQueueUrl', () => ({ Ref: logicalId(stack.queues.fanout.queue) })],
    ['DeliveryQueueUrl', () => ({ Ref: logicalId(stack.queues.delivery.queue) })],
    ['FanoutDeadLetterQueueUrl', () => ({ Ref: logicalId(stack.queues.fanout.deadLetterQueue) })],
    ['DeliveryDeadLetterQueueUrl', () => ({ Ref: logicalId(stack.queues.delivery.deadLetterQueue) })],
  ])('%s', (name, value) => {
    template.hasOutput(name, { Value: value() });
  });
});
