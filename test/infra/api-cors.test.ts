/**
 * CORS in the stack: the api function gets SLUICE_CORS_ORIGINS (default `*`, or `-c corsOrigins=…`),
 * no gateway-side OPTIONS mocks (the function answers preflights through the ANY proxy), and every
 * gateway response (throttle, 413, timeout, …) carries Access-Control-Allow-Origin. Bundling skipped.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { SVIX_GATEWAY_RESPONSES } from '../../lib/gateway-responses.ts';
import { ENV } from '../../functions/shared/names.ts';
import { appWithContext } from './template-helpers.ts';

function synth(context: Record<string, unknown> = {}): { stack: SluiceStack; template: Template } {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  return { stack, template: Template.fromStack(stack) };
}

const apiEnvironment = (template: Template, stack: SluiceStack): Record<string, unknown> => {
  const id = stack.getLogicalId(stack.api.handler.function.node.defaultChild as never);
  return template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
};

const gatewayResponses = (template: Template) =>
  Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as { ResponseType: string; ResponseParameters?: Record<string, string> });

test('default: any origin, on the function and on every gateway response', () => {
  const { stack, template } = synth();
  expect(apiEnvironment(template, stack)[ENV.corsOrigins]).toBe('*');
  const responses = gatewayResponses(template);
  expect(responses).toHaveLength(SVIX_GATEWAY_RESPONSES.length);
  for (const r of responses) {
    expect({ type: r.ResponseType, origin: r.ResponseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin'] }).toEqual({ type: r.ResponseType, origin: "'*'" });
  }
  // Preflights reach the function through the ANY proxy: no OPTIONS mocks answer them first.
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties.HttpMethod as string);
  expect(methods).toContain('ANY');
  expect(methods).not.toContain('OPTIONS');
});

test('-c corsOrigins=…: the list goes to the function; gateway errors echo the caller\'s Origin', () => {
  const { stack, template } = synth({ corsOrigins: 'https://a.example,https://b.example:8443' });
  expect(apiEnvironment(template, stack)[ENV.corsOrigins]).toBe('https://a.example,https://b.example:8443');
  for (const r of gatewayResponses(template)) {
    expect(r.ResponseParameters?.['gatewayresponse.header.Access-Control-Allow-Origin']).toBe('method.request.header.Origin');
    expect(r.ResponseParameters?.['gatewayresponse.header.Vary']).toBe("'Origin'");
  }
});

test('a malformed origin fails synth', () => {
  expect(() => synth({ corsOrigins: 'https://a.example/path' })).toThrow(/corsOrigins/);
});
