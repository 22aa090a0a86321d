/**
 * Svix's server e2e tests for authentication (server/svix-server/tests/it/e2e_auth.rs), ported in our
 * own code over HTTP and with the `svix` SDKs (v2, and v1 for the deprecated dashboard-access call).
 *
 * Departures (README): Sluice has no JWT signing secret, so the "a JWT secret used as a token" case is
 * simply an invalid token here; an `application` without a uid, for an app that does not exist, is
 * created with the path's uid (Svix answers 422).
 */
import { Svix as SvixV1 } from 'svix-v1';
import { expectStatus, startConformance, unique, type Conformance } from './harness.ts';

let c: Conformance;

beforeAll(async () => {
  c = await startConformance();
});

afterAll(async () => {
  await c?.stop();
});

const createApp = async (name: string): Promise<string> =>
  (expectStatus(await c.http('POST', '/api/v1/app/', { body: { name } }), 201).body as { id: string }).id;

test('an app token reads its own application and nothing else (test_restricted_application_access)', async () => {
  const appId = await createApp('TEST_APP_NAME');
  const otherId = await createApp('TEST_APP_NAME_2');
  const { token } = await c.svix.authentication.appPortalAccess(appId, {});

  expectStatus(await c.http('POST', '/api/v1/app/', { token, body: { name: 'TEST_APP_NAME' } }), 403);
  expectStatus(await c.http('PUT', `/api/v1/app/${appId}/`, { token, body: { name: 'TEST_APP_NAME' } }), 403);
  expectStatus(await c.http('DELETE', `/api/v1/app/${appId}/`, { token }), 403);
  expectStatus(await c.http('GET', '/api/v1/app/', { token }), 403);

  expectStatus(await c.http('GET', `/api/v1/app/${otherId}/`, { token }), 404);
  const own = expectStatus(await c.http('GET', `/api/v1/app/${appId}/`, { token }), 200).body;
  expect(own).toMatchObject({ id: appId, name: 'TEST_APP_NAME' });
  // The SDK with the same token sees the same.
  expect((await c.svixFor(token).application.get(appId)).id).toBe(appId);
});

test('dashboard-access answers 200 without a body (test_dashboard_access_without_body)', async () => {
  const appId = await createApp('TEST_APP_NAME');
  const answer = expectStatus(await c.http('POST', `/api/v1/auth/dashboard-access/${appId}/`), 200);
  const { url, token } = answer.body as { url: string; token: string };
  expect(typeof url).toBe('string');
  expect(url).toContain(token);
  // A JSON null body (what Svix's test client sends for `()`) is the same.
  expectStatus(await c.http('POST', `/api/v1/auth/dashboard-access/${appId}/`, { body: null, raw: 'null' }), 200);
  // The token works for that application.
  expectStatus(await c.http('GET', `/api/v1/app/${appId}/`, { token }), 200);
  // The v1 SDK's deprecated call, and an unknown application.
  const v1 = new SvixV1(c.sluice.adminToken, { serverUrl: c.sluice.url });
  expect((await v1.authentication.dashboardAccess(appId)).token).toMatch(/^sluice_app_/);
  expectStatus(await c.http('POST', `/api/v1/auth/dashboard-access/app-missing-${unique()}/`), 404);
  // Admin only, like app-portal-access.
  expectStatus(await c.http('POST', `/api/v1/auth/dashboard-access/${appId}/`, { token }), 403);
});

test('a bad token is a 401 with detail "Invalid token" (test_invalid_auth_error_detail)', async () => {
  const answer = expectStatus(await c.http('POST', '/api/v1/app/', { token: 'some-nonsense-key', body: { name: 'TEST_APP_NAME' } }), 401);
  expect(answer.body).toEqual({ code: 'authentication_failed', detail: 'Invalid token' });
  expectStatus(await c.http('POST', '/api/v1/app/', { token: null, body: { name: 'TEST_APP_NAME' } }), 401);
});

test('app-portal-access creates the application when asked, and checks its uid (test_app_portal_access_with_application)', async () => {
  const uid = `app-created-in-portal-${unique()}`;
  expectStatus(await c.http('POST', `/api/v1/auth/app-portal-access/${uid}/`, { body: { featureFlags: [] } }), 404);

  expectStatus(
    await c.http('POST', `/api/v1/auth/app-portal-access/${uid}/`, {
      body: { featureFlags: [], application: { name: 'Test App Created With Portal Access', uid } },
    }),
    200,
  );
  const app = expectStatus(await c.http('GET', `/api/v1/app/${uid}/`), 200).body;
  expect(app).toMatchObject({ uid, name: 'Test App Created With Portal Access' });

  // The application exists now: `application` is ignored.
  expectStatus(
    await c.http('POST', `/api/v1/auth/app-portal-access/${uid}/`, { body: { featureFlags: [], application: { name: 'Updated name will be ignored', uid } } }),
    200,
  );
  expect(expectStatus(await c.http('GET', `/api/v1/app/${uid}/`), 200).body).toMatchObject({ name: 'Test App Created With Portal Access' });

  // The uid in the body must match the path.
  const mismatch = expectStatus(
    await c.http('POST', '/api/v1/auth/app-portal-access/different-uid/', { body: { featureFlags: [], application: { name: 'Test App', uid } } }),
    422,
  );
  expect(mismatch.body).toEqual({ detail: [{ loc: ['body', 'application', 'uid'], msg: expect.any(String), type: 'application_uid_mismatch' }] });
  expectStatus(await c.http('GET', '/api/v1/app/different-uid/'), 404);

  // Sluice departs: without a uid in the body the path's uid names the new application (Svix: 422).
  const newUid = `new-app-uid-${unique()}`;
  expectStatus(await c.http('POST', `/api/v1/auth/app-portal-access/${newUid}/`, { body: { featureFlags: [], application: { name: 'Test App Without UID' } } }), 200);
  expect(expectStatus(await c.http('GET', `/api/v1/app/${newUid}/`), 200).body).toMatchObject({ uid: newUid, name: 'Test App Without UID' });
});

test('publishing with an application whose uid differs from the path is a 422 (Svix: validate_create_app_uid)', async () => {
  const uid = `msg-app-${unique()}`;
  const answer = expectStatus(
    await c.http('POST', '/api/v1/app/some-other-uid/msg/', { body: { eventType: 'a.b', payload: {}, application: { name: 'X', uid } } }),
    422,
  );
  expect(answer.body).toMatchObject({ detail: [{ loc: ['body', 'application', 'uid'], type: 'application_uid_mismatch' }] });
  expectStatus(await c.http('GET', `/api/v1/app/${uid}/`), 404);
  // A matching uid creates the application with the message.
  expectStatus(await c.http('POST', `/api/v1/app/${uid}/msg/`, { body: { eventType: 'a.b', payload: {}, application: { name: 'X', uid } } }), 202);
  expectStatus(await c.http('GET', `/api/v1/app/${uid}/`), 200);
});
