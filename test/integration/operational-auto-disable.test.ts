/**
 * Endpoint auto-disable against the local stack, with the window shrunk from 5 days to 2 seconds
 * (SLUICE_DISABLE_AFTER_SECONDS): an endpoint that only fails is disabled once its failures span the
 * window, the operator gets endpoint.disabled with `failSince`; an endpoint that keeps succeeding in
 * between is not; a re-enabled endpoint starts afresh.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const WINDOW_SECONDS = 2;

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  receiver = await startReceiver();
  sluice = await startSluice({
    port: 0,
    retryScheduleSeconds: [1, 1, 1, 1, 1, 1],
    logLevel: 'SILENT',
    reliability: { disableAfterSeconds: WINDOW_SECONDS, operationalWebhook: { url: `${receiver.url}/ops`, secret: SECRET } },
  });
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

type Disabled = { type: string; data: { endpointId: string; failSince: string | null; trigger: string; appId: string } };

const disabledEvents = (): Disabled[] =>
  receiver.received
    .filter((r) => r.path === '/ops')
    .map((r) => new Webhook(SECRET).verify(r.body, Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]))) as Disabled)
    .filter((e) => e.type === 'endpoint.disabled');

test('failing for the whole window disables; a success in between does not', async () => {
  const app = await svix.application.create({ name: 'auto-disable' });
  const dead = await svix.endpoint.create(app.id, { url: `${receiver.url}/dead` });
  const flaky = await svix.endpoint.create(app.id, { url: `${receiver.url}/flaky` });
  receiver.script('/dead', [500]);
  receiver.script('/flaky', Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 500 : 200)));

  const firstPublish = Date.now();
  for (let i = 0; i < 8; i++) {
    await svix.message.create(app.id, { eventType: 'tick', payload: { i } });
    await new Promise((r) => setTimeout(r, 400));
  }
  const event = await eventually(async () => disabledEvents().find((e) => e.data.endpointId === dead.id), 15_000);
  expect(event.data).toMatchObject({ appId: app.id, trigger: 'automatic' });
  const failSince = Date.parse(event.data.failSince!);
  expect(failSince).toBeGreaterThanOrEqual(firstPublish - 1_000);
  expect(failSince).toBeLessThan(firstPublish + 1_000);
  expect((await svix.endpoint.get(app.id, dead.id)).disabled).toBe(true);
  const deadHits = receiver.received.filter((r) => r.path === '/dead');
  // Disabled once its failures spanned the window, not before.
  expect(deadHits.at(-1)!.receivedAt - deadHits[0]!.receivedAt).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000 - 100);

  // Nothing more is sent to the disabled endpoint; the flaky one keeps going and stays enabled.
  const deadCount = deadHits.length;
  await new Promise((r) => setTimeout(r, 1_500));
  expect(receiver.received.filter((r) => r.path === '/dead').length).toBe(deadCount);
  expect(receiver.received.filter((r) => r.path === '/flaky').length).toBeGreaterThan(8);
  expect((await svix.endpoint.get(app.id, flaky.id)).disabled).toBe(false);
  expect(disabledEvents().filter((e) => e.data.endpointId === flaky.id)).toEqual([]);

  // Re-enabled, it starts with a clean slate: its first new failure does not disable it again. Seeing
  // that failure arrive is not enough (the worker records it, and judges the window, after the
  // receiver answered); its RETRY arriving is: the task is retried only after the worker has recorded
  // the failure and decided, and a disabled endpoint gets no retry.
  await svix.endpoint.patch(app.id, dead.id, { disabled: false });
  const again = await svix.message.create(app.id, { eventType: 'tick', payload: { again: true } });
  const hitsOfAgain = (): number => receiver.received.filter((r) => r.path === '/dead' && r.headers['webhook-id'] === again.id).length;
  expect(await eventually(async () => (hitsOfAgain() >= 2 ? true : undefined), 15_000)).toBe(true);
});
