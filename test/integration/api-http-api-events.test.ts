/**
 * The api handler behind an HTTP API (`-c api=http`): API Gateway v2 sends payload format 1.0, the REST
 * proxy's shape with its own details: `$default` stage with no stage in the path, `resource` being the
 * route, header names in lower case, repeated query parameters joined by commas in
 * queryStringParameters (the arrays are in multiValueQueryStringParameters). The handler is the same
 * one the REST API calls; this drives it with such events against DynamoDB Local and the SQS emulator.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { startApiHarness, unique, type ApiHarness } from './api-fixtures.ts';
import { bareContext, TEST_TOKEN } from '../support/api-event.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h.stop();
});

/** An HTTP API payload-1.0 event, as AWS documents it for the $default route and stage. */
function httpApiEvent(method: string, path: string, options: { body?: unknown; query?: Record<string, string[]>; headers?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    authorization: `Bearer ${TEST_TOKEN}`,
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'x-forwarded-proto': 'https',
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const query = options.query ?? {};
  const hasQuery = Object.keys(query).length > 0;
  return {
    version: '1.0',
    resource: '$default',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: hasQuery ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.join(',')])) : null,
    multiValueQueryStringParameters: hasQuery ? query : null,
    pathParameters: null,
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      httpMethod: method,
      path,
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '03/Dec/2026:18:00:00 +0000',
      requestTimeEpoch: Date.now(),
      resourceId: '$default',
      resourcePath: '$default',
      stage: '$default',
      identity: { sourceIp: '198.51.100.7', userAgent: 'svix-libs/1.0' },
    } as never,
  } as APIGatewayProxyEvent;
}

const call = async (event: APIGatewayProxyEvent) => {
  const res = await h.handler(event, bareContext);
  return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body) };
};

test('create, publish and list through payload-1.0 events; repeated query values are read from the arrays', async () => {
  const app = await call(httpApiEvent('POST', '/api/v1/app', { body: { name: 'http api', uid: `http-${unique()}` } }));
  expect(app.status).toBe(201);
  const published = await Promise.all(
    ['a.one', 'b.two', 'c.three'].map((eventType) => call(httpApiEvent('POST', `/api/v1/app/${app.body.id}/msg`, { body: { eventType, payload: {} } }))),
  );
  expect(published.map((p) => p.status)).toEqual([202, 202, 202]);
  const listed = await call(httpApiEvent('GET', `/api/v1/app/${app.body.id}/msg`, { query: { event_types: ['a.one', 'c.three'], limit: ['10'] } }));
  expect(listed.status).toBe(200);
  expect(listed.body.data.map((m: { eventType: string }) => m.eventType).sort()).toEqual(['a.one', 'c.three']);
});

test('the portal link has no stage in it; errors and unknown routes answer in the Svix shape', async () => {
  const app = await call(httpApiEvent('POST', '/api/v1/app', { body: { name: 'portal link' } }));
  const access = await call(httpApiEvent('POST', `/api/v1/auth/app-portal-access/${app.body.id}`, { body: {} }));
  expect(access.status).toBe(200);
  expect(access.body.url).toMatch(/^https:\/\/abc123\.execute-api\.us-east-1\.amazonaws\.com\/portal#/);
  expect(await call(httpApiEvent('GET', '/api/v1/nowhere'))).toEqual({ status: 404, body: { code: 'not_found', detail: 'Entity not found' } });
  const unauthorized = await call(httpApiEvent('GET', '/api/v1/app', { headers: { authorization: 'Bearer wrong' } }));
  expect(unauthorized.status).toBe(401);
  expect(unauthorized.body.code).toBe('authentication_failed');
});

test('a CORS preflight reaches the function and is answered there', async () => {
  const res = await h.handler(
    httpApiEvent('OPTIONS', '/api/v1/app', { headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', authorization: '' } }),
    bareContext,
  );
  expect(res.statusCode).toBe(204);
  expect(res.headers?.['access-control-allow-origin']).toBeDefined();
});
