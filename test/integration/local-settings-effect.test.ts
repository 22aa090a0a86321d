/**
 * Every variable of the README's Configuration table takes effect under `npm start`: each row sets it
 * on a real `node local/main.ts` process and watches the stack behave differently from the default
 * (a retry that comes sooner, a 422, a disabled endpoint, a log line…).
 *
 * Starting a stack costs a JVM (DynamoDB Local), so rows share one unless they name their own `stack`:
 * rows on one stack merge their variables (a clash fails the run) and their checks must hold whatever
 * else that stack sets. A new variable is one more row (and a check); the last test fails until the
 * README's table and this one agree.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { freePort } from '../../local/emulators/free-port.ts';
import { DELIVERY } from '../../functions/shared/names.ts';
import { callApi, startLocalMain, type Json, type LocalMain } from '../support/local-main.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

interface Context {
  receiver: Receiver;
  /** A receiver URL that accepts the request and never answers. */
  hangingUrl: string;
  /** A TCP port nothing listens on (connections are refused). */
  closedPort: number;
  port: number;
  adminToken: string;
  opsSecret: string;
}

interface Row {
  /** The README variables this row shows to take effect. */
  covers: string[];
  env: (c: Context) => Record<string, string>;
  check: (stack: LocalMain, c: Context) => Promise<void>;
  /** Rows whose variables change what other rows' checks see get a stack of their own. */
  stack?: string;
}

const FAST_RETRIES = '1,1,1';
const MANY_FAST_RETRIES = '1,1,1,1,1,1,1,1,1,1';

const rows: Row[] = [
  { covers: ['PORT'], env: (c) => ({ PORT: String(c.port) }), check: servesOnThePort },
  { covers: ['SLUICE_ADMIN_TOKEN'], env: (c) => ({ SLUICE_ADMIN_TOKEN: c.adminToken }), check: acceptsTheGivenToken },
  { covers: ['SLUICE_RETRY_SCHEDULE'], env: () => ({ SLUICE_RETRY_SCHEDULE: FAST_RETRIES }), check: retriesOnTheGivenSchedule },
  { covers: ['SLUICE_OPERATIONAL_WEBHOOK_URL', 'SLUICE_OPERATIONAL_WEBHOOK_SECRET'], env: (c) => ({ SLUICE_OPERATIONAL_WEBHOOK_URL: `${c.receiver.url}/ops`, SLUICE_OPERATIONAL_WEBHOOK_SECRET: c.opsSecret, SLUICE_RETRY_SCHEDULE: FAST_RETRIES }), check: tellsTheOperator },
  { covers: ['SLUICE_ATTEMPT_TIMEOUT_MS'], env: () => ({ SLUICE_ATTEMPT_TIMEOUT_MS: '1000' }), check: givesUpOnAHangingReceiverEarly },
  { covers: ['SLUICE_OVERLOAD_MIN_DELAY_SECONDS'], env: () => ({ SLUICE_OVERLOAD_MIN_DELAY_SECONDS: '1', SLUICE_RETRY_SCHEDULE: FAST_RETRIES }), check: retriesA429Early },
  { covers: ['SLUICE_ALLOW_PRIVATE_NETWORKS'], env: () => ({ SLUICE_ALLOW_PRIVATE_NETWORKS: 'false', SLUICE_ALLOWED_SUBNETS: '127.0.0.1/32' }), check: refusesPrivateAddresses },
  { covers: ['SLUICE_ALLOWED_SUBNETS'], env: () => ({ SLUICE_ALLOW_PRIVATE_NETWORKS: 'false', SLUICE_ALLOWED_SUBNETS: '127.0.0.1/32' }), check: deliversIntoAllowedSubnet },
  { covers: ['SLUICE_SECRETS_KEY_ARN'], env: () => ({ SLUICE_SECRETS_KEY_ARN: 'arn:aws:kms:us-east-1:000000000000:key/not-used-locally', AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9' }), check: sealsSecretsWithTheLocalKey },
  { covers: ['SLUICE_ENDPOINT_CACHE_SECONDS'], env: () => ({ SLUICE_ENDPOINT_CACHE_SECONDS: '0' }), check: seesAnEndpointUpdateAtOnce },
  { covers: ['SLUICE_CORS_ORIGINS'], env: () => ({ SLUICE_CORS_ORIGINS: 'https://dash.example.test' }), check: allowsOnlyTheGivenOrigin },
  { covers: ['SLUICE_DESTINATION_PRINCIPAL_ARN'], env: () => ({ SLUICE_DESTINATION_PRINCIPAL_ARN: PRINCIPAL }), check: namesTheGivenPrincipal },
  { covers: ['SLUICE_DELIVERY_SLOW_QUEUE_URL'], env: () => ({ SLUICE_DELIVERY_SLOW_QUEUE_URL: 'http://127.0.0.1:9/000000000000/not-this-one' }), check: runsItsOwnSlowLane },
  { covers: ['SLUICE_DATA_DIR'], env: () => ({}), check: keepsStateInTheGivenDirectory },
  { covers: ['POWERTOOLS_LOG_LEVEL'], env: () => ({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }), check: logsSuccessesAtDebug },
  { covers: ['SLUICE_REQUIRE_HTTPS'], stack: 'https', env: () => ({ SLUICE_REQUIRE_HTTPS: 'true' }), check: refusesHttpUrls },
  { covers: ['SLUICE_DEFAULT_SIGNATURE_TYPE'], stack: 'https', env: () => ({ SLUICE_DEFAULT_SIGNATURE_TYPE: 'ed25519' }), check: generatesEd25519Secrets },
  { covers: ['SLUICE_DISABLE_AFTER_DAYS'], stack: 'https', env: () => ({ SLUICE_DISABLE_AFTER_DAYS: '0.00002', SLUICE_RETRY_SCHEDULE: MANY_FAST_RETRIES }), check: disablesAFailingHttpsEndpoint },
  { covers: ['SLUICE_DISABLE_AFTER_SECONDS'], stack: 'disable-seconds', env: () => ({ SLUICE_DISABLE_AFTER_SECONDS: '2', SLUICE_RETRY_SCHEDULE: MANY_FAST_RETRIES }), check: disablesAFailingEndpoint },
];

// --- the checks -----------------------------------------------------------------------------------

let next = 0;
/** A fresh application with one endpoint at `url` (a path of the receiver unless absolute). */
async function appWithEndpoint(stack: LocalMain, c: Context, url: string): Promise<{ app: string; endpoint: string; path: string }> {
  const app = await callApi(stack, 'POST', '/app', { name: `settings ${++next}` });
  expect(app.status).toBe(201);
  const endpoint = await callApi(stack, 'POST', `/app/${app.json.id}/endpoint`, { url: url.startsWith('http') ? url : `${c.receiver.url}${url}` });
  expect(endpoint.status).toBe(201);
  return { app: app.json.id, endpoint: endpoint.json.id, path: url };
}

async function publish(stack: LocalMain, app: string, payload: Json = {}): Promise<string> {
  const message = await callApi(stack, 'POST', `/app/${app}/msg`, { eventType: 'settings.test', payload });
  expect(message.status).toBe(202);
  return message.json.id;
}

async function attempts(stack: LocalMain, app: string, endpoint: string): Promise<Json[]> {
  const list = await callApi(stack, 'GET', `/app/${app}/attempt/endpoint/${endpoint}`);
  expect(list.status).toBe(200);
  return list.json.data;
}

async function servesOnThePort(stack: LocalMain, c: Context): Promise<void> {
  expect(stack.url).toBe(`http://127.0.0.1:${c.port}`);
  expect((await callApi(stack, 'GET', '/app')).status).toBe(200);
}

async function acceptsTheGivenToken(stack: LocalMain, c: Context): Promise<void> {
  expect(stack.adminToken).toBe(c.adminToken);
  expect((await callApi({ url: stack.url, adminToken: c.adminToken }, 'GET', '/app')).status).toBe(200);
}

/** Four attempts within seconds: the default schedule would wait 5 s, then 5 min, before the third. */
async function retriesOnTheGivenSchedule(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint, path } = await appWithEndpoint(stack, c, '/retry');
  c.receiver.script(path, [500]);
  await publish(stack, app);
  await c.receiver.waitFor(path, 4, 40_000);
  const logged = await eventually(async () => {
    const list = await attempts(stack, app, endpoint);
    return list.length === 4 ? list : undefined;
  });
  expect(logged.map((a) => a.responseStatusCode)).toEqual([500, 500, 500, 500]);
}

async function tellsTheOperator(stack: LocalMain, c: Context): Promise<void> {
  const { app, path } = await appWithEndpoint(stack, c, '/ops-failing');
  c.receiver.script(path, [500]);
  const msgId = await publish(stack, app);
  const notices = await eventually(async () => {
    const found = c.receiver.received.filter((r) => r.path === '/ops' && r.body.includes(msgId));
    return found.some((r) => r.body.includes('message.attempt.exhausted')) ? found : undefined;
  }, 40_000);
  for (const notice of notices) new Webhook(c.opsSecret).verify(notice.body, notice.headers as Record<string, string>);
}

/** The attempt ends at the configured deadline; the default would hold it 15 s. */
async function givesUpOnAHangingReceiverEarly(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint } = await appWithEndpoint(stack, c, c.hangingUrl);
  await publish(stack, app);
  const [attempt] = await eventually(async () => {
    const list = await attempts(stack, app, endpoint);
    return list.length > 0 ? list : undefined;
  }, 40_000);
  expect(attempt!.responseStatusCode).toBe(0);
  expect(attempt!.responseDurationMs).toBeLessThan(DELIVERY.attemptTimeoutMs);
}

/** After a 429 the default floor is 60 s; with 1 s the retry follows the 1 s schedule. */
async function retriesA429Early(stack: LocalMain, c: Context): Promise<void> {
  const { app, path } = await appWithEndpoint(stack, c, '/overloaded');
  c.receiver.script(path, [429, 200]);
  await publish(stack, app);
  const [first, second] = await c.receiver.waitFor(path, 2, 50_000);
  expect(second!.receivedAt - first!.receivedAt).toBeLessThan(DELIVERY.defaultOverloadMinDelaySeconds * 1000);
}

async function refusesPrivateAddresses(stack: LocalMain): Promise<void> {
  const app = await callApi(stack, 'POST', '/app', { name: 'private' });
  const endpoint = await callApi(stack, 'POST', `/app/${app.json.id}/endpoint`, { url: 'http://10.0.0.1/hook' });
  expect(endpoint.status).toBe(422);
  expect(endpoint.json.detail[0].loc).toEqual(['body', 'url']);
}

async function deliversIntoAllowedSubnet(stack: LocalMain, c: Context): Promise<void> {
  const { app, path } = await appWithEndpoint(stack, c, '/subnet');
  await publish(stack, app);
  await c.receiver.waitFor(path, 1);
}

/** Locally secrets are sealed with the AES key in the state directory, whatever the variable says. */
async function sealsSecretsWithTheLocalKey(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint, path } = await appWithEndpoint(stack, c, '/sealed');
  const secret = await callApi(stack, 'GET', `/app/${app}/endpoint/${endpoint}/secret`);
  expect(secret.status).toBe(200);
  await publish(stack, app, { sealed: true });
  const [hit] = await c.receiver.waitFor(path, 1);
  new Webhook(secret.json.key).verify(hit!.body, hit!.headers as Record<string, string>);
}

/** With the cache off, the message published right after an update goes to the new URL. */
async function seesAnEndpointUpdateAtOnce(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint } = await appWithEndpoint(stack, c, '/cache-before');
  await publish(stack, app);
  await c.receiver.waitFor('/cache-before', 1);
  const patched = await callApi(stack, 'PATCH', `/app/${app}/endpoint/${endpoint}`, { url: `${c.receiver.url}/cache-after` });
  expect(patched.status).toBe(200);
  await publish(stack, app);
  await c.receiver.waitFor('/cache-after', 1);
  expect(c.receiver.received.filter((r) => r.path === '/cache-before')).toHaveLength(1);
}

async function allowsOnlyTheGivenOrigin(stack: LocalMain): Promise<void> {
  const allowed = async (origin: string): Promise<string | null> =>
    (await fetch(`${stack.url}/api/v1/app`, { headers: { origin, authorization: `Bearer ${stack.adminToken}` } })).headers.get('access-control-allow-origin');
  expect(await allowed('https://dash.example.test')).toBe('https://dash.example.test');
  expect(await allowed('https://elsewhere.example.test')).toBeNull();
}

const PRINCIPAL = 'arn:aws:iam::111122223333:role/sluice-settings-test';

/** An AWS-native destination shows the configured principal (not the local default) for its trust policy. */
async function namesTheGivenPrincipal(stack: LocalMain): Promise<void> {
  const app = await callApi(stack, 'POST', '/app', { name: `settings ${++next}` });
  const endpoint = await callApi(stack, 'POST', `/app/${app.json.id}/endpoint`, {
    url: 'arn:aws:sqs:us-east-1:111122223333:settings',
    destination: { roleArn: 'arn:aws:iam::111122223333:role/customer' },
  });
  expect(endpoint.status).toBe(201);
  expect(endpoint.json.destination.principalArn).toBe(PRINCIPAL);
}

/** npm start creates and sets the slow lane's queue itself; a value in the environment is not used. */
async function runsItsOwnSlowLane(stack: LocalMain, c: Context): Promise<void> {
  const runtime = JSON.parse(readFileSync(join(stack.dataDir, 'runtime.json'), 'utf8')) as { endpoints: { sqs: string }; queueUrls: Record<string, string> };
  expect(runtime.queueUrls.deliverySlow).toMatch(/sluice-delivery-slow$/);
  const { app, path } = await appWithEndpoint(stack, c, '/lanes');
  await publish(stack, app);
  await c.receiver.waitFor(path, 1);
}

async function keepsStateInTheGivenDirectory(stack: LocalMain): Promise<void> {
  expect(dataDirs).toContain(stack.dataDir);
  const missing = ['dynamodb', 'sqs', 'secrets-key', 'sluice.lock', 'runtime.json'].filter((entry) => !existsSync(join(stack.dataDir, entry)));
  expect(missing).toEqual([]);
}

async function logsSuccessesAtDebug(stack: LocalMain, c: Context): Promise<void> {
  const { app, path } = await appWithEndpoint(stack, c, '/logged');
  const msgId = await publish(stack, app);
  await c.receiver.waitFor(path, 1);
  const line = await eventually(async () =>
    stack
      .output()
      .split('\n')
      .find((l) => l.includes('Delivery attempt recorded') && l.includes(msgId)),
  );
  expect(JSON.parse(line)).toMatchObject({ level: 'DEBUG', msgId });
}

async function refusesHttpUrls(stack: LocalMain, c: Context): Promise<void> {
  const app = await callApi(stack, 'POST', '/app', { name: 'https only' });
  const plain = await callApi(stack, 'POST', `/app/${app.json.id}/endpoint`, { url: `${c.receiver.url}/plain` });
  expect(plain.status).toBe(422);
  const tls = await callApi(stack, 'POST', `/app/${app.json.id}/endpoint`, { url: `https://127.0.0.1:${c.closedPort}/tls` });
  expect(tls.status).toBe(201);
}

async function generatesEd25519Secrets(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint } = await appWithEndpoint(stack, c, `https://127.0.0.1:${c.closedPort}/signed`);
  const secret = await callApi(stack, 'GET', `/app/${app}/endpoint/${endpoint}/secret`);
  expect(secret.json.key).toMatch(/^whpk_/);
}

async function expectDisabled(stack: LocalMain, app: string, endpoint: string): Promise<void> {
  await eventually(async () => {
    const got = await callApi(stack, 'GET', `/app/${app}/endpoint/${endpoint}`);
    return got.json.disabled === true ? true : undefined;
  }, 40_000);
}

async function disablesAFailingHttpsEndpoint(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint } = await appWithEndpoint(stack, c, `https://127.0.0.1:${c.closedPort}/refused`);
  await publish(stack, app);
  await expectDisabled(stack, app, endpoint);
}

async function disablesAFailingEndpoint(stack: LocalMain, c: Context): Promise<void> {
  const { app, endpoint, path } = await appWithEndpoint(stack, c, '/disable-me');
  c.receiver.script(path, [500]);
  await publish(stack, app);
  await expectDisabled(stack, app, endpoint);
}

// --- the harness ----------------------------------------------------------------------------------

let context: Context;
let hanging: Server;
const dataDirs: string[] = [];

beforeAll(async () => {
  hanging = createServer(() => {
    // Never answers: the attempt must end at Sluice's deadline.
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  context = {
    receiver: await startReceiver(),
    hangingUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hang`,
    closedPort: await freePort(),
    port: await freePort(),
    adminToken: `sluice_admin_${randomBytes(24).toString('base64url')}`,
    opsSecret: `whsec_${randomBytes(24).toString('base64')}`,
  };
});

afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise((resolve) => hanging.close(resolve));
  await context.receiver.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The variables of every row on one stack; a variable two rows set differently is a mistake in this table. */
function mergedEnv(group: Row[], c: Context): Record<string, string> {
  const env: Record<string, string> = {};
  for (const row of group) {
    for (const [name, value] of Object.entries(row.env(c))) {
      if (name in env && env[name] !== value) throw new Error(`rows on one stack set ${name} to ${env[name]} and ${value}: give one its own stack`);
      env[name] = value;
    }
  }
  return env;
}

const groups = new Map<string, Row[]>();
for (const row of rows) groups.set(row.stack ?? 'shared', [...(groups.get(row.stack ?? 'shared') ?? []), row]);

for (const [name, group] of groups) {
  describe(`stack "${name}"`, () => {
    let stack: LocalMain;
    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), `sluice-settings-${name}-`));
      dataDirs.push(dataDir);
      stack = await startLocalMain({ PORT: '0', ...mergedEnv(group, context), SLUICE_DATA_DIR: dataDir });
    }, 120_000);
    afterAll(() => stack?.stop());

    test.each(group.map((row) => [row.covers.join(' + '), row] as const))('%s takes effect', async (_name, row) => {
      await row.check(stack, context);
    }, 90_000);
  });
}

test("every variable of the README's Configuration table has a row here", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const documented = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!));
  expect(documented.length).toBeGreaterThan(10);
  const covered = new Set(rows.flatMap((row) => row.covers));
  expect(documented.filter((name) => !covered.has(name))).toEqual([]);
});
