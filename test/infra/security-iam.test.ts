/**
 * Least privilege and encryption, asserted on the template: each function's role holds only the
 * permissions it uses (no managed policies; logs only to its own log group; KMS only where secrets are
 * sealed or opened, and only with the `purpose` encryption context); the secrets key rotates; the
 * stage logs errors without request data; the SSRF and https settings reach every function.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, SECRETS_KMS_CONTEXT } from '../../functions/shared/names.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { resolveSettings } from '../../lib/stack-props.ts';
import { allowedActions, appWithContext, logicalId, roleStatements } from './template-helpers.ts';

const synth = (context: Record<string, unknown> = {}) => {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  return { stack, template: Template.fromStack(stack) };
};

const { stack, template } = synth();
const fns = () => ({ api: stack.api.handler.function, fanout: stack.workers.fanout.function, delivery: stack.workers.delivery.function });
const keyId = () => logicalId(stack.secretsKey.key);
const kmsStatements = (fn: (typeof fns extends () => infer F ? F : never)[keyof ReturnType<typeof fns>]) =>
  roleStatements(template, fn).filter((s) => JSON.stringify(s.Action).includes('kms:'));

describe('the endpoint-secrets key', () => {
  test('a customer-managed key with rotation, retained with the data by default', () => {
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });

  test('api: GenerateDataKey and Decrypt, only with the purpose context', () => {
    expect(allowedActions(template, fns().api, keyId())).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const statements = kmsStatements(fns().api);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': SECRETS_KMS_CONTEXT.purpose } });
    }
  });

  test('delivery: Decrypt only, only with the purpose context', () => {
    expect(allowedActions(template, fns().delivery, keyId())).toEqual(['kms:Decrypt']);
    const statements = kmsStatements(fns().delivery);
    expect(statements.length).toBeGreaterThan(0);
    // The exact condition: a Condition of any other shape (another key, StringLike, no purpose) fails.
    for (const s of statements) {
      expect(s.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:purpose': SECRETS_KMS_CONTEXT.purpose } });
    }
  });

  test('fan-out: no KMS at all, and no admin token', () => {
    expect(kmsStatements(fns().fanout)).toEqual([]);
    expect(allowedActions(template, fns().fanout, logicalId(stack.adminToken.secret))).toEqual([]);
  });

  test('only the api reads the admin token', () => {
    expect(allowedActions(template, fns().delivery, logicalId(stack.adminToken.secret))).toEqual([]);
    expect(allowedActions(template, fns().api, logicalId(stack.adminToken.secret))).toContain('secretsmanager:GetSecretValue');
  });
});

describe('function roles', () => {
  test.each(['api', 'fanout', 'delivery'] as const)('%s: no managed policies; logs only to its own log group; no wildcard actions', (name) => {
    const fn = fns()[name];
    const role = template.toJSON().Resources[logicalId(fn.role!)].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    const statements = roleStatements(template, fn);
    const logs = statements.filter((s) => JSON.stringify(s.Action).includes('logs:'));
    const ownGroup = logicalId(name === 'api' ? stack.api.handler.logGroup : name === 'fanout' ? stack.workers.fanout.logGroup : stack.workers.delivery.logGroup);
    expect(logs.length).toBeGreaterThan(0);
    for (const s of logs) expect(JSON.stringify(s.Resource)).toContain(ownGroup);
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/^[a-z0-9-]+:\*$|^\*$/);
    }
  });
});

describe('API Gateway', () => {
  test('stage: throttled, error logging without request or response data', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]?.Properties;
    expect(stage.MethodSettings[0]).toMatchObject({ LoggingLevel: 'ERROR', DataTraceEnabled: false });
    expect(stage.MethodSettings[0].ThrottlingRateLimit).toBeGreaterThan(0);
  });
});

describe('SSRF and https settings', () => {
  test('defaults reach every function: no allow-list, https not required, the secrets key', () => {
    for (const fn of Object.values(fns())) {
      const vars = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
      expect(vars[ENV.allowPrivateNetworks]).toBe('false');
      expect(vars[ENV.allowedSubnets]).toBe('');
      expect(vars[ENV.requireHttps]).toBe('false');
      expect(vars[ENV.secretsKeyArn]).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
    }
  });

  test('from context', () => {
    const custom = synth({ allowedSubnets: '10.1.0.0/16, fd00:1::/32', requireHttps: 'true' });
    const vars = custom.template.toJSON().Resources[logicalId(custom.stack.workers.delivery.function)].Properties.Environment.Variables;
    expect(vars[ENV.allowedSubnets]).toBe('10.1.0.0/16,fd00:1::/32');
    expect(vars[ENV.requireHttps]).toBe('true');
  });

  test('a malformed subnet fails synth', () => {
    const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });
    expect(() => resolveSettings({}, context({ allowedSubnets: '10.0.0.0/33' }))).toThrow(/allowedSubnets/);
    expect(() => resolveSettings({ allowedSubnets: ['not-a-cidr'] }, context({}))).toThrow(/allowedSubnets/);
  });
});
