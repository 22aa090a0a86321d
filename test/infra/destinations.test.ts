/**
 * AWS-native destinations (lib/destinations.ts), asserted on the template: the delivery role may
 * sts:AssumeRole on any account's roles except its own (one statement, that action only, the
 * aws:ResourceAccount condition), no other role in the stack may assume anything, and the
 * DestinationPrincipalArn output (and the api's SLUICE_DESTINATION_PRINCIPAL_ARN) is the delivery role's ARN. The HTTP API variant has its own
 * functions (the portal-files one): it is checked too. Bundling is skipped: the assertions read the template.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext, logicalId, roleStatements, type Statement } from './template-helpers.ts';

const synth = (context: Record<string, unknown> = {}) => {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  return { stack, template: Template.fromStack(stack) };
};

const { stack, template } = synth();
const actionsOf = (s: Statement): string[] => [s.Action].flat();
const assumes = (s: Statement): boolean => actionsOf(s).some((a) => a.toLowerCase().startsWith('sts:'));

/** Every statement of every identity policy in the template, with the logical ids of the roles it is on. */
function allIdentityStatements(t: Template): { roles: string[]; statement: Statement }[] {
  const attached = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({
      roles: (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref),
      statement,
    })),
  );
  const inline = Object.entries(t.findResources('AWS::IAM::Role')).flatMap(([id, r]) =>
    ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
      p.PolicyDocument.Statement.map((statement) => ({ roles: [id], statement })),
    ),
  );
  return [...attached, ...inline];
}

describe('the delivery role', () => {
  test('exactly one STS statement: AssumeRole on any role of any other account', () => {
    const sts = roleStatements(template, stack.workers.delivery.function).filter(assumes);
    expect(sts).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/*']] },
        Condition: { StringNotEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  test('sts:AssumeRole is its only STS action (no sts:TagSession), and it has no IAM action (no iam:PassRole)', () => {
    const actions = roleStatements(template, stack.workers.delivery.function).flatMap(actionsOf);
    expect(actions.filter((a) => /^sts:/i.test(a))).toEqual(['sts:AssumeRole']);
    expect(actions.filter((a) => /^iam:/i.test(a))).toEqual([]);
  });
});

describe('every other role', () => {
  test.each([
    ['rest', {}],
    ['http', { api: 'http' }],
    ['every option on', { tracing: 'true', alarmEmail: 'ops@example.com', operationalWebhookUrl: 'https://ops.example.com/sluice', operationalWebhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
  ] as const)('%s: no STS action in any identity policy but the delivery role\'s', (_name, context) => {
    const s = Object.keys(context).length === 0 ? { stack, template } : synth(context);
    const deliveryRole = logicalId(s.stack.workers.delivery.role);
    const withSts = allIdentityStatements(s.template).filter((e) => assumes(e.statement));
    expect(withSts.map((e) => e.roles)).toEqual([[deliveryRole]]);
    // The api and fan-out functions by name, so a policy shared with delivery would fail too.
    for (const fn of [s.stack.api.handler.function, s.stack.workers.fanout.function]) {
      expect(roleStatements(s.template, fn).filter(assumes)).toEqual([]);
    }
  });
});

describe('DestinationPrincipalArn', () => {
  test('the output is the delivery role\'s ARN, described for customers', () => {
    const outputs = template.findOutputs('DestinationPrincipalArn');
    expect(outputs.DestinationPrincipalArn?.Value).toEqual({ 'Fn::GetAtt': [logicalId(stack.workers.delivery.role), 'Arn'] });
    expect(outputs.DestinationPrincipalArn?.Description).toMatch(/trust policy/);
    expect(outputs.DestinationPrincipalArn?.Description).toMatch(/externalId/);
  });

  test('the api function is told it (SLUICE_DESTINATION_PRINCIPAL_ARN): EndpointOut shows it beside each external id', () => {
    const env = template.toJSON().Resources[logicalId(stack.api.handler.function)].Properties.Environment.Variables;
    expect(env.SLUICE_DESTINATION_PRINCIPAL_ARN).toEqual({ 'Fn::GetAtt': [logicalId(stack.workers.delivery.role), 'Arn'] });
  });

  test('the delivery function runs as that role, outside any VPC (its egress is Lambda\'s own)', () => {
    const fn = template.toJSON().Resources[logicalId(stack.workers.delivery.function)].Properties;
    expect(fn.Role).toEqual({ 'Fn::GetAtt': [logicalId(stack.workers.delivery.role), 'Arn'] });
    expect(fn.VpcConfig).toBeUndefined();
  });
});
