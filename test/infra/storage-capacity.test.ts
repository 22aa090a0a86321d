/** `-c capacity=provisioned`: provisioned units at the lower bounds, and target tracking on the table and gsi1. */
import { Template } from 'aws-cdk-lib/assertions';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { appWithContext } from './template-helpers.ts';

test('provisioned capacity with auto scaling between the bounds given', () => {
  const context = { 'aws:cdk:bundling-stacks': [], capacity: 'provisioned', readCapacity: '3-30', writeCapacity: '4-400', capacityTargetUtilization: '60' };
  const template = Template.fromStack(new SluiceStack(appWithContext(context), 'Sluice'));
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

test('on demand by default', () => {
  const template = Template.fromStack(new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [] }), 'Sluice'));
  template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
});
