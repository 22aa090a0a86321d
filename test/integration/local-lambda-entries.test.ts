/**
 * The three Lambda entry files, loaded as Lambda loads them (test/support/lambda-entries.ts): a message
 * published through the api entry reaches a receiver through the fan-out and delivery entries.
 */
import { startLambdaEntries, type LambdaEntries } from '../support/lambda-entries.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

let entries: LambdaEntries;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  entries = await startLambdaEntries({ name: 'entries', token: 'sluice_admin_entries-test-token-000000000000000000000', entry: 'index' });
});

afterAll(async () => {
  await entries?.stop();
  await receiver?.close();
});

test('the api, fan-out and delivery entries work together from their environment alone', async () => {
  const app = await entries.post('/app', { name: 'Entries' });
  expect(app.status).toBe(201);
  expect((await entries.post(`/app/${app.json.id}/endpoint`, { url: `${receiver.url}/hook` })).status).toBe(201);
  const message = await entries.post(`/app/${app.json.id}/msg`, { eventType: 'entries.test', payload: { ok: true } });
  expect(message.status).toBe(202);

  const received = await receiver.waitFor('/hook', 1, 15_000);
  expect(received.map((r) => r.headers['webhook-id'])).toEqual([message.json.id]);
});
