/**
 * The local API Gateway front, against a handler that records the event and echoes a chosen result:
 * the proxy event fields, the result written back, the 10 MiB limit and a crashing handler.
 */
import { request } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { startApiGatewayFront, MAX_REQUEST_BYTES, type ApiGatewayFront } from '../../local/api-gateway-front.ts';

let front: ApiGatewayFront;
let events: APIGatewayProxyEvent[] = [];
let contexts: Context[] = [];
let nextResult: APIGatewayProxyResult | Error = { statusCode: 200, body: '{}' };

beforeAll(async () => {
  front = await startApiGatewayFront({
    handler: async (event, context) => {
      events.push(event);
      contexts.push(context);
      if (nextResult instanceof Error) throw nextResult;
      return nextResult;
    },
    logger: { error: () => undefined },
  });
});

afterAll(() => front.stop());

beforeEach(() => {
  events = [];
  contexts = [];
  nextResult = { statusCode: 200, body: '{}' };
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, options: { headers?: [string, string][]; body?: Buffer | string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A raw header list keeps repeated names; node then adds no Host header by itself.
    const headers: string[] = [['Host', new URL(front.url).host] as [string, string], ...(options.headers ?? [])].flat();
    const req = request(`${front.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('a GET becomes a REST proxy event with decoded query parameters and null body', async () => {
  await send('GET', '/api/v1/app/app_1/msg?limit=2&event_types=a%2Cb&tag=x&tag=y&q=a+b%20c', {
    headers: [['Authorization', 'Bearer t'], ['X-Multi', 'one'], ['X-Multi', 'two']],
  });
  expect(events).toHaveLength(1);
  const event = events[0]!;
  expect(event.httpMethod).toBe('GET');
  expect(event.path).toBe('/api/v1/app/app_1/msg');
  expect(event.resource).toBe('/{proxy+}');
  expect(event.pathParameters).toEqual({ proxy: 'api/v1/app/app_1/msg' });
  expect(event.queryStringParameters).toEqual({ limit: '2', event_types: 'a,b', tag: 'y', q: 'a b c' });
  expect(event.multiValueQueryStringParameters).toEqual({ limit: ['2'], event_types: ['a,b'], tag: ['x', 'y'], q: ['a b c'] });
  expect(event.headers.Authorization).toBe('Bearer t');
  expect(event.headers['X-Multi']).toBe('two');
  expect(event.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
  expect(event.body).toBeNull();
  expect(event.isBase64Encoded).toBe(false);
  expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
  expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(Math.abs(event.requestContext.requestTimeEpoch - Date.now())).toBeLessThan(5_000);
  expect(event.requestContext.stage).toBe('local');
  expect(contexts[0]!.getRemainingTimeInMillis()).toBeGreaterThan(20_000);
});

test('no query string gives null parameter maps', async () => {
  await send('DELETE', '/api/v1/app/app_1');
  expect(events[0]!.queryStringParameters).toBeNull();
  expect(events[0]!.multiValueQueryStringParameters).toBeNull();
  expect(events[0]!.httpMethod).toBe('DELETE');
});

test('a POST body arrives as a UTF-8 string, and the result is written back', async () => {
  nextResult = {
    statusCode: 201,
    headers: { 'content-type': 'application/json', 'x-one': '1' },
    multiValueHeaders: { 'x-many': ['a', 'b'] },
    body: JSON.stringify({ id: 'app_1', name: 'Zoë ✓' }),
  };
  const reply = await send('POST', '/api/v1/app', {
    headers: [['content-type', 'application/json']],
    body: JSON.stringify({ name: 'Zoë ✓' }),
  });
  expect(events[0]!.body).toBe('{"name":"Zoë ✓"}');
  expect(reply.status).toBe(201);
  expect(JSON.parse(reply.body)).toEqual({ id: 'app_1', name: 'Zoë ✓' });
  expect(reply.headers['x-one']).toBe('1');
  expect(reply.headers['x-many']).toBe('a, b');
});

test('a 204 with an empty body is passed through', async () => {
  nextResult = { statusCode: 204, body: '' };
  const reply = await send('DELETE', '/api/v1/app/app_1');
  expect(reply.status).toBe(204);
  expect(reply.body).toBe('');
});

test('a body over 10 MiB is refused with 413 before the handler runs', async () => {
  const reply = await send('POST', '/api/v1/app/app_1/msg', {
    headers: [['content-type', 'application/json']],
    body: Buffer.alloc(MAX_REQUEST_BYTES + 1, 'a'),
  });
  expect(reply.status).toBe(413);
  expect(JSON.parse(reply.body)).toMatchObject({ code: 'payload_too_large' });
  expect(events).toHaveLength(0);
});

test('a body of exactly 10 MiB reaches the handler', async () => {
  await send('POST', '/x', { body: Buffer.alloc(MAX_REQUEST_BYTES, 'a') });
  expect(events[0]!.body).toHaveLength(MAX_REQUEST_BYTES);
});

test('a chunked body over 10 MiB (no content-length) is refused too', async () => {
  const reply = await new Promise<Reply>((resolve, reject) => {
    const req = request(`${front.url}/x`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, 'b');
    for (let i = 0; i < 11; i++) req.write(chunk);
    req.end();
  });
  expect(reply.status).toBe(413);
  expect(events).toHaveLength(0);
});

test('a handler that throws gives a 500 in the Svix error shape', async () => {
  nextResult = new Error('boom');
  const reply = await send('GET', '/api/v1/app');
  expect(reply.status).toBe(500);
  const body = JSON.parse(reply.body) as { code: string; detail: string };
  expect(typeof body.code).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(reply.body).not.toContain('boom');
});

test('a result the front cannot write (an invalid header value) gives a 502 in the Svix error shape, and the front stays up', async () => {
  nextResult = { statusCode: 200, headers: { 'x-broken': 'line\nbreak' }, body: '{}' };
  const reply = await send('GET', '/api/v1/app');
  expect(reply.status).toBe(502);
  expect(JSON.parse(reply.body)).toEqual({ code: 'internal_error', detail: 'Malformed Lambda proxy response' });
  expect(reply.headers['x-broken']).toBeUndefined();

  nextResult = { statusCode: 200, body: '{"ok":true}' };
  expect((await send('GET', '/api/v1/app')).body).toBe('{"ok":true}');
});
