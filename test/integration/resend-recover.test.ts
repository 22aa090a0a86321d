/**
 * Resend and recover, driven with the svix SDK against the local stack and a real receiver:
 * - resend makes ONE manual attempt (triggerType 1), failed or not, and is never retried;
 * - recover answers at once with the `qtask_` object and re-sends, through the queues, exactly the
 *   messages whose delivery failed with no success, as manual attempts.
 */
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

let sluice: RunningSluice;
let receiver: Receiver;
let svix: Svix;

beforeAll(async () => {
  [sluice, receiver] = await Promise.all([
    startSluice({ port: 0, retryScheduleSeconds: [1], logLevel: 'SILENT' }),
    startReceiver(),
  ]);
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
});

afterAll(async () => {
  await receiver?.close();
  await sluice?.stop();
});

const PATH = '/resend-recover';
const seen = (): number => receiver.received.filter((r) => r.path === PATH).length;
/** From now on `PATH` answers `status` (the receiver scripts by request index). */
const answer = (status: number): void => receiver.script(PATH, [...Array<number>(seen()).fill(0), status]);
const hitsFor = (msgId: string) => receiver.received.filter((r) => r.path === PATH && r.headers['webhook-id'] === msgId);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('resend is one manual attempt, not retried; recover re-sends only failed messages, through the queue', async () => {
  const app = await svix.application.create({ name: 'replays' });
  const endpoint = await svix.endpoint.create(app.id, { url: `${receiver.url}${PATH}` });
  const since = new Date(Date.now() - 1_000);

  answer(200);
  const ok = await svix.message.create(app.id, { eventType: 'order.paid', payload: { n: 0 } });
  await receiver.waitFor(PATH, 1);
  answer(500);
  const failed1 = await svix.message.create(app.id, { eventType: 'order.paid', payload: { n: 1 } });
  const failed2 = await svix.message.create(app.id, { eventType: 'order.paid', payload: { n: 2 } });
  // Schedule [1]: two scheduled attempts each, both failing.
  await receiver.waitFor(PATH, 5, 10_000);
  const attemptsOf = async (msgId: string) =>
    (await svix.messageAttempt.listByMsg(app.id, msgId, { endpointId: endpoint.id })).data.sort((a, b) => (a.id < b.id ? -1 : 1));
  await eventually(async () =>
    (await attemptsOf(failed1.id)).length === 2 && (await attemptsOf(failed2.id)).length === 2 ? true : undefined,
  );
  expect(hitsFor(failed1.id)).toHaveLength(2);

  // Resend to the still-failing endpoint: one manual attempt, no retry.
  await svix.messageAttempt.resend(app.id, failed1.id, endpoint.id);
  await eventually(async () => (hitsFor(failed1.id).length === 3 ? true : undefined));
  await pause(1_600); // a retry would have come after 0.8–1.2 s
  expect(hitsFor(failed1.id)).toHaveLength(3);
  const afterResend = await attemptsOf(failed1.id);
  expect(afterResend.map((a) => [a.triggerType, a.status])).toEqual([[0, 2], [0, 2], [1, 2]]);

  // Resend once the endpoint works again: a manual success.
  answer(200);
  await svix.messageAttempt.resend(app.id, failed1.id, endpoint.id);
  await eventually(async () => ((await attemptsOf(failed1.id)).length === 4 ? true : undefined));
  expect((await attemptsOf(failed1.id)).at(-1)).toMatchObject({ triggerType: 1, status: 0, responseStatusCode: 200 });

  // Recover: only failed2 (failed, never succeeded) is re-sent; ok and failed1 have a success.
  const before = seen();
  // It answers before the work is done: the API only queues a recover task (api-messages.test.ts
  // shows the 202 with the task on the fan-out queue and no fan-out running); no stopwatch here.
  const task = await svix.endpoint.recover(app.id, endpoint.id, { since });
  expect(task).toMatchObject({ status: 'running', task: 'endpoint.recover' });
  expect(task.id).toMatch(/^qtask_[0-9A-Za-z]{27}$/);
  await eventually(async () => (hitsFor(failed2.id).length === 3 ? true : undefined));
  await pause(1_000);
  expect(seen()).toBe(before + 1);
  expect(hitsFor(ok.id)).toHaveLength(1);
  const recovered = await attemptsOf(failed2.id);
  expect(recovered.at(-1)).toMatchObject({ triggerType: 1, status: 0 });

  // A second recover finds nothing left to do.
  await svix.endpoint.recover(app.id, endpoint.id, { since });
  await pause(1_000);
  expect(seen()).toBe(before + 1);
});
