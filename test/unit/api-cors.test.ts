/** The CORS policy (functions/api/cors.ts) and the wrapper that applies it to every api answer. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { allowedOrigin, corsHeaders, parseCorsOrigins, preflightHeaders } from '../../functions/api/cors.ts';
import { withCors } from '../../functions/api/middleware/cors.ts';

test('SLUICE_CORS_ORIGINS: * by default, or exact origins', () => {
  expect(parseCorsOrigins(undefined)).toBe('*');
  expect(parseCorsOrigins(' * ')).toBe('*');
  expect(parseCorsOrigins('https://a.example, http://localhost:5173')).toEqual(['https://a.example', 'http://localhost:5173']);
  for (const bad of ['a.example', 'https://a.example/', 'https://a.example/x', 'ftp//x']) expect(() => parseCorsOrigins(bad)).toThrow();
});

test('allowed origins: * for all, echo for a listed one, nothing otherwise', () => {
  expect(allowedOrigin('https://x', '*')).toBe('*');
  expect(allowedOrigin('https://a', ['https://a'])).toBe('https://a');
  expect(allowedOrigin('https://b', ['https://a'])).toBeUndefined();
  expect(allowedOrigin(undefined, ['https://a'])).toBeUndefined();
  expect(corsHeaders('https://b', ['https://a'])).toEqual({ vary: 'Origin' });
  expect(preflightHeaders('https://a', ['https://a'])).toMatchObject({ 'access-control-allow-origin': 'https://a', vary: 'Origin' });
  expect(preflightHeaders('https://x', '*')).not.toHaveProperty('access-control-allow-credentials');
});

describe('withCors', () => {
  const event = (method: string, headers: Record<string, string>): APIGatewayProxyEvent => ({ httpMethod: method, headers } as unknown as APIGatewayProxyEvent);
  const calls: string[] = [];
  // The wrapped api handler: a plain function standing for the middy stack (its answers are the input here).
  const wrapped = withCors('*', async (e) => {
    calls.push(e.httpMethod);
    return { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"code":"authentication_failed"}' };
  });

  test('a preflight is answered without running the handler', async () => {
    calls.length = 0;
    const res = await wrapped(event('OPTIONS', { Origin: 'https://x', 'Access-Control-Request-Method': 'POST' }), {} as Context);
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-max-age': '86400' });
    expect(calls).toEqual([]);
  });

  test('an OPTIONS without preflight headers goes to the handler; every answer gets the headers', async () => {
    calls.length = 0;
    const res = await wrapped(event('OPTIONS', {}), {} as Context);
    expect(calls).toEqual(['OPTIONS']);
    expect(res.headers).toEqual({ 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'retry-after' });
  });
});
