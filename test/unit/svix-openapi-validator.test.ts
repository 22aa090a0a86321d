/** The validator the conformance suites use finds what it should (so their empty findings mean something). */
import { createSvixOpenApiValidator } from '../support/svix-openapi-validator.ts';

const validator = createSvixOpenApiValidator();
const app = { id: 'app_2yZwUhtgs5Ai8T9yRQJXA4Q0Y4q', uid: null, name: 'x', metadata: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

test('every operation of the document, matched by concrete paths', () => {
  expect(validator.operations.length).toBeGreaterThanOrEqual(41);
  expect(validator.operationFor('GET', '/api/v1/app/app_1?x=1')?.operationId).toBe('v1.application.get');
  expect(validator.operationFor('DELETE', '/api/v1/app/a/msg/m/content')?.operationId).toBe('v1.message.expunge-content');
  expect(validator.operationFor('GET', '/api/v1/nope')).toBeUndefined();
});

test('a valid body passes; missing fields, bad formats, wrong statuses and stray bodies are findings', () => {
  expect(validator.check('GET', '/api/v1/app/a', 200, JSON.stringify(app)).problems).toEqual([]);
  const { createdAt: _c, ...missing } = app;
  expect(validator.check('GET', '/api/v1/app/a', 200, JSON.stringify(missing)).problems.join()).toMatch(/createdAt/);
  expect(validator.check('GET', '/api/v1/app/a', 200, JSON.stringify({ ...app, updatedAt: 'yesterday' })).problems.join()).toMatch(/date-time/);
  expect(validator.check('GET', '/api/v1/app/a', 202, JSON.stringify(app)).problems.join()).toMatch(/status not in the document/);
  expect(validator.check('POST', '/api/v1/app/a/endpoint/e/secret/rotate', 204, '{}').problems.join()).toMatch(/no body/);
  expect(validator.check('GET', '/api/v1/app/a', 404, '{"code":"not_found"}').problems.join()).toMatch(/detail/);
  expect(validator.check('GET', '/api/v1/app/a', 200, 'not json').problems.join()).toMatch(/not JSON/);
  expect(validator.check('DELETE', '/api/v1/app/a/msg/m/content', 204, '').problems).toEqual([]);
});
