/**
 * The app portal in the synthesized stack: GET /portal and GET /portal/assets/{file} on the API's own
 * REST API, served from a private bucket through API Gateway's S3 integration with a role that reads
 * those two paths only; the CSP (with the configured frame-ancestors) travels as object metadata and is
 * mapped onto the response with nosniff, no-referrer and the cache rules; the deployed files are the
 * built portal and embed no token.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SluiceStack } from '../../lib/sluice-stack.ts';
import { PORTAL_DIST } from '../../portal/build.ts';
import { CACHE_CONTROL } from '../../portal/serving.ts';
import { appWithContext, logicalId } from './template-helpers.ts';

function synth(context: Record<string, unknown> = {}): { stack: SluiceStack; template: Template } {
  const stack = new SluiceStack(appWithContext({ 'aws:cdk:bundling-stacks': [], ...context }), 'Sluice');
  return { stack, template: Template.fromStack(stack) };
}

let stack: SluiceStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synth());
});

type Method = { Properties: { HttpMethod: string; RestApiId: unknown; ResourceId: unknown; Integration: Record<string, unknown>; RequestParameters?: unknown } };

function portalMethods(): Method[] {
  return Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
    (m) => (m as Method).Properties.Integration.Type === 'AWS',
  ) as Method[];
}

const pathParts = (): string[] => Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart as string);

test('GET /portal and GET /portal/assets/{file} on the same REST API as the API', () => {
  expect(pathParts()).toEqual(expect.arrayContaining(['portal', 'assets', '{file}', '{proxy+}']));
  const methods = portalMethods();
  expect(methods).toHaveLength(2);
  const restApiId = logicalId(stack.api.restApi!);
  for (const m of methods) {
    expect(m.Properties.HttpMethod).toBe('GET');
    expect(m.Properties.RestApiId).toEqual({ Ref: restApiId });
    expect(m.Properties.Integration.IntegrationHttpMethod).toBe('GET');
    expect(JSON.stringify(m.Properties.Integration.Uri)).toContain(':s3:path/');
    expect(JSON.stringify(m.Properties.Integration.Credentials)).toContain(logicalId(stack.portal!.readRole));
  }
  const uris = methods.map((m) => JSON.stringify(m.Properties.Integration.Uri));
  expect(uris.some((u) => u.includes('/index.html'))).toBe(true);
  expect(uris.some((u) => u.includes('/portal/assets/{file}'))).toBe(true);
  const asset = methods.find((m) => JSON.stringify(m.Properties.Integration.Uri).includes('{file}'))!;
  expect(asset.Properties.Integration.RequestParameters).toEqual({ 'integration.request.path.file': 'method.request.path.file' });
});

test('responses carry the CSP from object metadata, nosniff, no-referrer and the cache rules; misses are Svix-shaped 404s', () => {
  for (const m of portalMethods()) {
    const responses = m.Properties.Integration.IntegrationResponses as { StatusCode: string; SelectionPattern?: string; ResponseParameters?: Record<string, string>; ResponseTemplates?: Record<string, string> }[];
    const ok = responses.find((r) => r.StatusCode === '200')!;
    expect(ok.ResponseParameters).toMatchObject({
      'method.response.header.Content-Type': 'integration.response.header.Content-Type',
      'method.response.header.Content-Security-Policy': 'integration.response.header.x-amz-meta-content-security-policy',
      'method.response.header.X-Content-Type-Options': "'nosniff'",
      'method.response.header.Referrer-Policy': "'no-referrer'",
    });
    const cache = ok.ResponseParameters!['method.response.header.Cache-Control'];
    expect([`'${CACHE_CONTROL.page}'`, `'${CACHE_CONTROL.asset}'`]).toContain(cache);
    const missing = responses.find((r) => r.StatusCode === '404')!;
    expect(missing.SelectionPattern).toBe('4\\d{2}');
    expect(JSON.parse(missing.ResponseTemplates!['application/json']!)).toEqual({ code: 'not_found', detail: 'Entity not found' });
  }
  const caches = portalMethods().map((m) => {
    const ok = (m.Properties.Integration.IntegrationResponses as { StatusCode: string; ResponseParameters: Record<string, string> }[]).find((r) => r.StatusCode === '200')!;
    return ok.ResponseParameters['method.response.header.Cache-Control'];
  });
  expect(caches.sort()).toEqual([`'${CACHE_CONTROL.page}'`, `'${CACHE_CONTROL.asset}'`].sort());
});

test('the deployed objects carry a CSP without inline scripts and frame-ancestors self by default', () => {
  const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
  expect(deployments).toHaveLength(1);
  const metadata = deployments[0]!.Properties.UserMetadata as Record<string, string>;
  const csp = metadata['content-security-policy']!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp).toMatch(/frame-ancestors 'self'$/);
  expect(csp).toBe(stack.portal!.contentSecurityPolicy);
});

test('frame-ancestors comes from -c portalFrameAncestors, and a value that is not an origin fails synth', () => {
  const { template: t } = synth({ portalFrameAncestors: 'https://app.example.com, https://*.example.org' });
  const csp = (Object.values(t.findResources('Custom::CDKBucketDeployment'))[0]!.Properties.UserMetadata as Record<string, string>)['content-security-policy'];
  expect(csp).toMatch(/frame-ancestors 'self' https:\/\/app\.example\.com https:\/\/\*\.example\.org$/);
  expect(() => synth({ portalFrameAncestors: "https://ok.example.com; script-src 'unsafe-inline'" })).toThrow(/not an origin/);
  expect(() => synth({ portalFrameAncestors: 'https://example.com/path' })).toThrow(/not an origin/);
});

test('a private, TLS-only bucket read by a role that may GetObject the two portal paths only', () => {
  const bucketId = logicalId(stack.portal!.bucket);
  template.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: bucketId },
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] },
  });
  const roleId = logicalId(stack.portal!.readRole);
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]);
  expect(statements).toHaveLength(1);
  expect(statements[0]!.Action).toBe('s3:GetObject');
  const resources = JSON.stringify(statements[0]!.Resource);
  expect(resources).toContain('/index.html');
  expect(resources).toContain('/portal/assets/*');
  expect(resources).not.toMatch(/"\/\*"/);
});

test('the stack outputs the portal URL', () => {
  const outputs = template.findOutputs('PortalUrl');
  expect(JSON.stringify(outputs.PortalUrl!.Value)).toContain('/portal');
});

test('the files deployed are the built portal, and none embeds a token', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(PORTAL_DIST);
  expect(files.map((f) => f.slice(PORTAL_DIST.length + 1)).sort()).toEqual(
    expect.arrayContaining(['index.html', expect.stringMatching(/^portal\/assets\/index-[\w-]+\.js$/)]),
  );
  for (const file of files) expect(readFileSync(file, 'utf8')).not.toMatch(/sluice_(app|admin)_[A-Za-z0-9_-]{20,}/);
});
