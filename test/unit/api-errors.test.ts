/**
 * Error mapping and the request pipeline (auth, routing, body parsing) through the real handler.
 * These paths fail before any store is touched; the stores here throw if one is.
 */
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../functions/core/errors.ts';
import type { Stores } from '../../functions/core/ports.ts';
import { createApiHandler } from '../../functions/api/handler.ts';
import { errorResult, INTERNAL_ERROR_BODY } from '../../functions/api/middleware/error-mapper.ts';
import { apiPath, matchRoute } from '../../functions/api/router.ts';
import { ROUTES } from '../../functions/api/routes/index.ts';
import { TEST_TOKEN, call } from '../support/api-event.ts';

describe('errorResult', () => {
  it('maps SluiceErrors to {code, detail}', () => {
    expect(errorResult(new NotFoundError())).toMatchObject({ status: 404, body: { code: 'not_found', detail: 'Entity not found' } });
    expect(errorResult(new ConflictError('dup', 'event_type_exists'))).toMatchObject({
      status: 409,
      body: { code: 'event_type_exists', detail: 'dup' },
    });
    expect(errorResult(new BadRequestError('gone', 'missing_payload')).body).toEqual({ code: 'missing_payload', detail: 'gone' });
  });

  it('maps a ValidationError to {detail: [{loc, msg, type}]}', () => {
    expect(errorResult(ValidationError.at(['body', 'url'], 'bad'))).toMatchObject({
      status: 422,
      body: { detail: [{ loc: ['body', 'url'], msg: 'bad', type: 'value_error' }] },
    });
  });

  it('hides unknown errors behind a bare 500', () => {
    const result = errorResult(new Error('secret database detail'));
    expect(result).toEqual({ status: 500, body: INTERNAL_ERROR_BODY, unexpected: true });
    expect(JSON.stringify(result.body)).not.toContain('secret');
  });
});

describe('router', () => {
  it('normalises repeated and trailing slashes', () => {
    expect(apiPath('//api/v1/app')).toBe('/app');
    expect(apiPath('/api//v1/app/')).toBe('/app');
    expect(apiPath('/api/v2/app')).toBeUndefined();
    expect(apiPath('/other')).toBeUndefined();
  });

  it('decodes path parameters', () => {
    const match = matchRoute(ROUTES, 'GET', '/app/a%2Eb');
    expect('route' in match && match.params).toEqual({ app_id: 'a.b' });
  });

  it('tells 404 from 405', () => {
    expect(matchRoute(ROUTES, 'GET', '/nope')).toEqual({ error: expect.any(NotFoundError) });
    expect((matchRoute(ROUTES, 'DELETE', '/app') as { error: Error }).error.constructor.name).toBe('MethodNotAllowedError');
  });
});

describe('handler pipeline', () => {
  const untouchable = new Proxy({} as Stores, {
    get: (_target, name) => {
      if (name === 'then') return undefined;
      return new Proxy({}, { get: () => () => Promise.reject(new Error(`store ${String(name)} used`)) });
    },
  });
  const queue = { send: () => Promise.reject(new Error('queue used')), sendAll: () => Promise.reject(new Error('queue used')) };
  const logged: unknown[] = [];
  const logger = { error: (...args: unknown[]) => logged.push(args) } as never;
  const handler = createApiHandler({ stores: untouchable, fanoutQueue: queue, deliveryQueue: queue, adminToken: TEST_TOKEN, logger });

  it('401 without a token or with a wrong one', async () => {
    const expected = { status: 401, body: { code: 'authentication_failed', detail: 'Invalid token' } };
    expect(await call(handler, 'GET', '/api/v1/app', { token: null })).toMatchObject(expected);
    expect(await call(handler, 'GET', '/api/v1/app', { token: 'wrong' })).toMatchObject(expected);
    expect(await call(handler, 'GET', '/api/v1/nope', { token: 'wrong' })).toMatchObject(expected);
  });

  it('404 for an unknown path, 405 for a known path with the wrong method', async () => {
    expect(await call(handler, 'GET', '/api/v1/nope')).toMatchObject({
      status: 404,
      body: { code: 'not_found', detail: 'Entity not found' },
    });
    expect(await call(handler, 'GET', '/elsewhere')).toMatchObject({ status: 404 });
    expect(await call(handler, 'DELETE', '/api/v1/app')).toMatchObject({ status: 405, body: { code: 'method_not_allowed' } });
  });

  it('422 value_error.jsondecode for a body that is not JSON (as Svix)', async () => {
    const result = await call(handler, 'POST', '/api/v1/app', { rawBody: '{"name":' });
    expect(result.status).toBe(422);
    expect(result.body).toEqual({ detail: [{ loc: ['body'], msg: expect.stringContaining('not valid JSON'), type: 'value_error.jsondecode' }] });
  });

  it('413 for a body over 1 MiB', async () => {
    const rawBody = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    expect(await call(handler, 'POST', '/api/v1/app', { rawBody })).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large' },
    });
  });

  it('422 in Svix shape before any store call', async () => {
    const result = await call(handler, 'POST', '/api/v1/app', { body: { uid: 'x' } });
    expect(result.status).toBe(422);
    expect(result.body.detail).toEqual([{ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' }]);
    const limit = await call(handler, 'GET', '/api/v1/app', { query: { limit: '251' } });
    expect(limit).toMatchObject({ status: 422, body: { detail: [{ loc: ['query', 'limit'] }] } });
  });

  it('500 with a bare body when a dependency fails; the cause goes to the log', async () => {
    const result = await call(handler, 'GET', '/api/v1/app');
    expect(result).toEqual({ status: 500, body: INTERNAL_ERROR_BODY, headers: expect.anything() });
    expect(String((logged[0] as unknown[])[1])).toContain('store applications used');
  });

  it('serves health without a token', async () => {
    expect(await call(handler, 'GET', '/api/v1/health', { token: null })).toMatchObject({ status: 204 });
  });
});
