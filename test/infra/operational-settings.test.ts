/**
 * Deploy-time settings of issue 3: the operational webhook URL/secret and the auto-disable window
 * reach the functions' environment, and the delivery function may then queue operational webhooks on
 * its own queue. Validation happens at synth.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../functions/shared/names.ts';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { resolveSettings } from '../../lib/stack-props.ts';
import { allowedActions, appWithContext, logicalId } from './template-helpers.ts';

const SECRET = `whsec_${'A'.repeat(32)}`;

function synth(context: Record<string, unknown>): { stack: SluiceStack; template: Template } {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  return { stack, template: Template.fromStack(stack) };
}

const envOf = (template: Template, stack: SluiceStack): Record<string, string> =>
  template.toJSON().Resources[logicalId(stack.workers.delivery.function)].Properties.Environment.Variables;

test('operational webhooks and the disable window reach the delivery function; it may queue them', () => {
  const { stack, template } = synth({ operationalWebhookUrl: 'https://ops.example.com/hooks', operationalWebhookSecret: SECRET, disableAfterDays: '2.5' });
  expect(envOf(template, stack)).toMatchObject({
    [ENV.operationalWebhookUrl]: 'https://ops.example.com/hooks',
    [ENV.operationalWebhookSecret]: SECRET,
    [ENV.disableAfterDays]: '2.5',
  });
  expect(allowedActions(template, stack.workers.delivery.function, logicalId(stack.queues.delivery.queue))).toContain('sqs:SendMessage');
});

test('without them: 5 days, no operational URL, no send permission on the delivery queue', () => {
  const { stack, template } = synth({});
  const env = envOf(template, stack);
  expect(env[ENV.disableAfterDays]).toBe('5');
  expect(env[ENV.operationalWebhookUrl]).toBeUndefined();
  expect(allowedActions(template, stack.workers.delivery.function, logicalId(stack.queues.delivery.queue))).not.toContain('sqs:SendMessage');
});

test.each([
  [{ operationalWebhookUrl: 'https://ops.example.com' }, /both or neither/],
  [{ operationalWebhookUrl: 'ftp://ops.example.com', operationalWebhookSecret: SECRET }, /http\(s\) URL/],
  [{ operationalWebhookUrl: 'https://ops.example.com', operationalWebhookSecret: 'short' }, /whsec_/],
  [{ disableAfterDays: '0' }, /disableAfterDays/],
  [{ disableAfterDays: 'soon' }, /disableAfterDays/],
])('rejects %o at synth', (context, message) => {
  const node = { tryGetContext: (key: string) => (context as Record<string, unknown>)[key] };
  expect(() => resolveSettings({}, node)).toThrow(message);
});
