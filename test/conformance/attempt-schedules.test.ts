/**
 * Conformance port of the e2e_attempt.rs cases that need another retry schedule than attempt.test.ts:
 * an empty schedule (one attempt, no retry) and a long one (a failed message stays "sending").
 */
import { client, createApp, createEndpoint, createMessage, expectLength, startStack, testReceiver, withRetries, type TestReceiver } from './attempt-harness.ts';

describe('empty retry schedule', () => {
  let sluice: Awaited<ReturnType<typeof startStack>>;
  let rec: TestReceiver;
  beforeAll(async () => {
    [sluice, rec] = await Promise.all([startStack([]), testReceiver(500)]);
  });
  afterAll(async () => {
    await rec?.close();
    await sluice?.stop();
  });

  test('one failed attempt and no retry', async () => {
    const api = client(sluice);
    const app = await createApp(api, 'app');
    const ep = await createEndpoint(api, app.id, rec.endpoint);
    const msg = await createMessage(api, app.id, { test: 'data' });
    const list = await withRetries(async () => {
      const l = await api.get(`app/${app.id}/attempt/msg/${msg.id}/`);
      expectLength(l, 1);
      return l;
    });
    expect(list.data[0]).toMatchObject({ status: 2, responseStatusCode: 500, endpointId: ep.id });
    // Final at once: failed, not sending, with no next attempt.
    const messages = await api.get(`app/${app.id}/endpoint/${ep.id}/msg/`);
    expect(messages.data[0]).toMatchObject({ id: msg.id, status: 2, statusText: 'fail', nextAttempt: null });
    expect(rec.bodies).toHaveLength(1);
  });
});

describe('long retry schedule', () => {
  let sluice: Awaited<ReturnType<typeof startStack>>;
  let rec: TestReceiver;
  beforeAll(async () => {
    [sluice, rec] = await Promise.all([startStack([600]), testReceiver(200)]);
  });
  afterAll(async () => {
    await rec?.close();
    await sluice?.stop();
  });

  test('list attempted messages: sending while a retry is scheduled', async () => {
    const api = client(sluice);
    const app = await createApp(api, 'app1');
    const ep = await createEndpoint(api, app.id, rec.endpoint);
    const msg1 = await createMessage(api, app.id, { test: 'data1' });
    const msg2 = await createMessage(api, app.id, { test: 'data2' });
    await withRetries(async () => {
      const l = await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=0`);
      expect(l.data.map((m: { id: string }) => m.id).sort()).toEqual([msg1.id, msg2.id].sort());
    });
    rec.status = 500;
    const msg3 = await createMessage(api, app.id, { test: 'data3' });
    const msg4 = await createMessage(api, app.id, { test: 'data4' });
    const sending = await withRetries(async () => {
      const l = await api.get(`app/${app.id}/endpoint/${ep.id}/msg/?status=3`);
      expect(l.data.map((m: { id: string }) => m.id).sort()).toEqual([msg3.id, msg4.id].sort());
      return l;
    });
    for (const m of sending.data) expect(m).toMatchObject({ statusText: 'sending', nextAttempt: expect.any(String) });
    // Attempted destinations show the latest attempt's own status (fail) and when the next one is due.
    const destinations = await api.get(`app/${app.id}/msg/${msg3.id}/endpoint/`);
    expect(destinations.data[0]).toMatchObject({ id: ep.id, status: 2, statusText: 'fail', nextAttempt: expect.any(String) });
  });
});
