/**
 * The delivery handler's edge cases against the real emulators and receiver: expired payloads,
 * deleted or disabled endpoints, malformed tasks, concurrency within a batch, secret rotation.
 */
import type { ServerResponse } from 'node:http';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { AttemptStatus, TriggerType } from '../../functions/core/model.ts';
import { boundaryId } from '../../functions/core/ids.ts';
import { createEndpoint, createMessage, newSecret, settle } from './deliver-fixtures.ts';
import { startDeliveryHarness, type DeliveryHarness } from './deliver-harness.ts';
import { lambdaContext, receiveAtLeast } from './sqs-event-helpers.ts';

let h: DeliveryHarness;

beforeAll(async () => {
  h = await startDeliveryHarness('deliver-edge-');
});

afterAll(async () => {
  await h.stop();
});

afterEach(async () => {
  expect(await h.queueIsEmpty()).toBe(true);
});

describe('delivery handler edge cases', () => {
  it('records a failed attempt without sending when the payload has expired', async () => {
    const endpoint = await h.endpointWithReceiver();
    const message = await createMessage(h.env.stores, h.appId, { payloadExpiresAt: new Date(Date.now() - 1000).toISOString() });
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    expect((await h.runOnce(h.handler())).response.batchItemFailures).toEqual([]);
    expect(h.hitsOf(endpoint)).toEqual([]);
    const [attempt] = await h.attemptsOf(message.id);
    expect(attempt).toMatchObject({ status: AttemptStatus.Fail, responseStatusCode: 0 });
    expect(attempt!.response).toMatch(/payload expired/);
    expect(await h.statusOf(message.id, endpoint.id)).toMatchObject({ status: AttemptStatus.Fail });
  });

  it('drops tasks whose endpoint was deleted or disabled; a task whose message is gone is poison (failed, visible again)', async () => {
    const deleted = await h.endpointWithReceiver();
    await h.env.stores.endpoints.delete(deleted);
    const disabled = await h.endpointWithReceiver({ disabled: true });
    const message = await createMessage(h.env.stores, h.appId);
    const missingMsgId = boundaryId('message', new Date(), 'start');
    await h.queue(
      { appId: h.appId, msgId: message.id, endpointId: deleted.id, triggerType: TriggerType.Scheduled },
      { appId: h.appId, msgId: message.id, endpointId: disabled.id, triggerType: TriggerType.Manual },
      { appId: h.appId, msgId: missingMsgId, endpointId: disabled.id, triggerType: TriggerType.Scheduled },
    );

    const { event, response } = await h.runOnce(h.handler(), 3);
    const poison = event.Records.find((r) => r.body.includes(missingMsgId))!;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: poison.messageId }]);
    expect(await h.attemptsOf(message.id)).toEqual([]);
    expect([...h.hitsOf(deleted), ...h.hitsOf(disabled)]).toEqual([]);
    // Handed back at once (visibility 0), so it reaches the DLQ in seconds; drop it here.
    const again = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1, 2_000);
    expect(again.Records.map((r) => r.messageId)).toEqual([poison.messageId]);
    await settle(h.env.sqs, h.env.queues.delivery, again, { batchItemFailures: [] });
  });

  it('reports a malformed task as failed so it ends in the DLQ', async () => {
    await h.env.sqs.send(new SendMessageCommand({ QueueUrl: h.env.queues.delivery, MessageBody: '{"appId":1}' }));
    const { event, response } = await h.runOnce(h.handler());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    // The handler handed it straight back (visibility 0): drop it, so later tests start from an empty queue.
    const again = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 1, 2_000);
    expect(again.Records.map((r) => r.messageId)).toEqual([event.Records[0]!.messageId]);
    await settle(h.env.sqs, h.env.queues.delivery, again, { batchItemFailures: [] });
  });

  it('delivers the tasks of a batch concurrently, reading a shared message once', async () => {
    // Each request is held 300 ms; the receiver counts how many are open at once. Sequential sends
    // would never have two open (a count, not a stopwatch: a loaded machine cannot make it flake).
    let open = 0;
    let mostOpen = 0;
    const slow = (res: ServerResponse) => {
      mostOpen = Math.max(mostOpen, ++open);
      setTimeout(() => {
        open--;
        res.writeHead(200).end('slow ok');
      }, 300);
    };
    const endpoints = await Promise.all(Array.from({ length: 5 }, () => h.endpointWithReceiver()));
    for (const e of endpoints) h.receiver.script(h.pathOf(e), slow);
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue(...endpoints.map((e) => ({ appId: h.appId, msgId: message.id, endpointId: e.id, triggerType: TriggerType.Scheduled })));

    let messageReads = 0;
    const counting = {
      ...h.env.stores,
      messages: { ...h.env.stores.messages, get: (a: string, m: string) => (messageReads++, h.env.stores.messages.get(a, m)) },
    };

    const event = await receiveAtLeast(h.env.sqs, h.env.queues.delivery, 5);
    const response = await h.handler([1], counting)(event, lambdaContext('deliver'));
    await settle(h.env.sqs, h.env.queues.delivery, event, response);
    expect(response.batchItemFailures).toEqual([]);
    expect(mostOpen).toBeGreaterThanOrEqual(2);
    expect((await h.attemptsOf(message.id)).map((a) => a.status)).toEqual(Array(5).fill(AttemptStatus.Success));
    expect(messageReads).toBe(1);
  });

  it('signs with both secrets during a rotation', async () => {
    const path = '/rotation';
    const current = newSecret();
    const old = newSecret();
    h.receiver.secret(path, old); // the receiver still knows only the old secret
    const endpoint = await createEndpoint(h.env.stores, h.appId, {
      url: h.receiver.url(path),
      secrets: [
        { key: current, expiresAt: null },
        { key: old, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      ],
    });
    const message = await createMessage(h.env.stores, h.appId);
    await h.queue({ appId: h.appId, msgId: message.id, endpointId: endpoint.id, triggerType: TriggerType.Scheduled });

    expect((await h.runOnce(h.handler())).response.batchItemFailures).toEqual([]);
    const [hit] = h.hitsOf(endpoint);
    expect(hit?.verifyError).toBeUndefined();
    expect(String(hit?.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });
});
