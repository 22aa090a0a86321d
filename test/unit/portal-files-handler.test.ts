/**
 * The portal-files function of HTTP API deployments (functions/portal/handler.ts), called with HTTP
 * API events in payload format 1.0, over a build directory made here: the page and hashed assets with
 * the portal's headers, gzip when accepted, and nothing outside the build (traversal, other paths,
 * other methods).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createPortalFilesHandler } from '../../functions/portal/handler.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-portal-files-'));
mkdirSync(join(dir, 'portal', 'assets'), { recursive: true });
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>portal</title>');
writeFileSync(join(dir, 'portal', 'assets', 'index-abc123.js'), 'console.log("portal")'.repeat(50));
writeFileSync(join(dir, 'secret.txt'), 'outside the assets');

const handler = createPortalFilesHandler({ dir, frameAncestors: ["'self'", 'https://app.example.com'] });

/** An HTTP API event, payload format 1.0, as the $default stage sends it. */
function event(path: string, method = 'GET', headers: Record<string, string> = {}, query: Record<string, string> | null = null): APIGatewayProxyEvent {
  return {
    version: '1.0',
    resource: path,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { stage: '$default', path, httpMethod: method } as never,
    body: null,
    isBase64Encoded: false,
  } as APIGatewayProxyEvent;
}

test('the page: no-cache, the CSP with the listed frame-ancestors, nosniff, no-referrer', async () => {
  const res = await handler(event('/portal'));
  expect(res.statusCode).toBe(200);
  expect(Buffer.from(res.body, 'base64').toString()).toBe('<!doctype html><title>portal</title>');
  expect(res.isBase64Encoded).toBe(true);
  expect(res.headers).toMatchObject({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  expect(String(res.headers?.['content-security-policy'])).toContain("frame-ancestors 'self' https://app.example.com");
  expect(String(res.headers?.['content-security-policy'])).toContain("script-src 'self'");
});

test('a hashed asset: immutable, gzipped when the browser accepts it', async () => {
  const plain = await handler(event('/portal/assets/index-abc123.js'));
  expect(plain.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
  expect(plain.headers?.['content-encoding']).toBeUndefined();
  const gzipped = await handler(event('/portal/assets/index-abc123.js', 'GET', { 'Accept-Encoding': 'gzip, br' }));
  expect(gzipped.headers?.['content-encoding']).toBe('gzip');
  const body = Buffer.from(gzipped.body, 'base64');
  expect(body.length).toBeLessThan(Buffer.from(plain.body, 'base64').length);
  expect(gunzipSync(body).toString()).toBe(Buffer.from(plain.body, 'base64').toString());
});

test('/portal/ redirects to /portal with its query; HEAD has no body', async () => {
  const redirect = await handler(event('/portal/', 'GET', {}, { primaryColor: 'ff0000' }));
  expect(redirect).toMatchObject({ statusCode: 301, headers: expect.objectContaining({ location: '/portal?primaryColor=ff0000' }) });
  const head = await handler(event('/portal', 'HEAD'));
  expect(head).toMatchObject({ statusCode: 200, body: '' });
});

test.each([
  '/portal/assets/../../secret.txt',
  '/portal/assets/..%2F..%2Fsecret.txt',
  '/portal/assets/%2e%2e%2fsecret.txt',
  '/portal/assets/missing.js',
  '/portal/assets/',
  '/portal/secret.txt',
  '/portal/assets/%E0%A4%A',
])('%s is not found, in the Svix error shape', async (path) => {
  const res = await handler(event(path));
  expect(res.statusCode).toBe(404);
  expect(JSON.parse(res.body)).toEqual({ code: 'not_found', detail: 'Entity not found' });
});

test('other methods: 405 with Allow', async () => {
  const res = await handler(event('/portal', 'POST'));
  expect(res).toMatchObject({ statusCode: 405, headers: expect.objectContaining({ allow: 'GET, HEAD' }) });
});
