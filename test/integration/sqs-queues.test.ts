/** The SQS task-queue adapters against fauxqs. */
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsDeliveryQueue, createSqsFanoutQueue, createSqsTaskVisibility } from '../../functions/adapters/sqs/queues.ts';
import type { DeliveryTask } from '../../functions/core/tasks/tasks.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSqsEmulator, type SqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, type QueueUrls } from '../../local/resources.ts';
import { receiveAtLeast, receiveEvent } from './sqs-event-helpers.ts';

let emulator: SqsEmulator;
let sqs: SQSClient;
let queues: QueueUrls;
/** What the adapters asked SQS for, recorded by an SDK middleware on a real client (the calls still go to fauxqs). */
const sent: { command: string; input: Record<string, unknown> }[] = [];
let recorded: SQSClient;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  sqs = new SQSClient({ endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  queues = await ensureQueues(sqs, 'sqsq-');
  recorded = new SQSClient({ endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  recorded.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordSqsInputs' },
  );
});

afterAll(async () => {
  recorded.destroy();
  sqs.destroy();
  await emulator.stop();
});

/** SQS's (and fauxqs's) refusal of a message over 1 MiB, as the adapter passes it on. */
const SQS_TOO_LONG = /1048576|too long|TooLong/i;

describe('SQS queues', () => {
  it('sends a fan-out task as JSON', async () => {
    await createSqsFanoutQueue(sqs, queues.fanout).send({ kind: 'message', appId: 'app_1', msgId: 'msg_1' });
    const event = await receiveEvent(sqs, queues.fanout);
    expect(event.Records.map((r) => JSON.parse(r.body))).toEqual([{ kind: 'message', appId: 'app_1', msgId: 'msg_1' }]);
  });

  it('sends delivery tasks in batches of 10, all of them', async () => {
    const tasks: DeliveryTask[] = Array.from({ length: 23 }, (_, i) => ({
      appId: 'app_1',
      msgId: 'msg_1',
      endpointId: `ep_${String(i).padStart(2, '0')}`,
      triggerType: i % 2 === 0 ? 0 : 1,
    }));
    await createSqsDeliveryQueue(sqs, queues.delivery).sendAll(tasks);
    const event = await receiveAtLeast(sqs, queues.delivery, 23);
    const received = event.Records.map((r) => JSON.parse(r.body) as DeliveryTask);
    expect(received.sort((a, b) => a.endpointId.localeCompare(b.endpointId))).toEqual(tasks);
  });

  it('sends nothing for an empty list', async () => {
    await expect(createSqsDeliveryQueue(sqs, queues.deliveryDlq).sendAll([])).resolves.toBeUndefined();
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.deliveryDlq, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('0');
  });

  it('throws when SQS rejects a task', async () => {
    const huge: DeliveryTask = { appId: 'x'.repeat(1024 * 1024 + 1), msgId: 'm', endpointId: 'e', triggerType: 0 };
    await expect(createSqsDeliveryQueue(sqs, queues.delivery).sendAll([huge])).rejects.toThrow(SQS_TOO_LONG);
  });

  it('delays a received task by changing its visibility', async () => {
    await createSqsFanoutQueue(sqs, queues.fanout).send({ kind: 'message', appId: 'app_1', msgId: 'msg_vis' });
    const first = await receiveEvent(sqs, queues.fanout);
    const record = first.Records[0]!;
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    const visibility = createSqsTaskVisibility(sqs, queues.fanout);
    await visibility.delay(record.receiptHandle, 2);
    expect((await receiveEvent(sqs, queues.fanout, { waitSeconds: 0 })).Records).toHaveLength(0);
    const again = await receiveAtLeast(sqs, queues.fanout, 1, 5_000);
    expect(again.Records[0]?.messageId).toBe(record.messageId);
    expect(again.Records[0]?.attributes.ApproximateReceiveCount).toBe('2');
    // Longer than SQS allows (SQS itself refuses 43,201: shown below): capped rather than rejected.
    const handle = again.Records[0]!.receiptHandle;
    await expect(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queues.fanout, ReceiptHandle: handle, VisibilityTimeout: 43_201 })),
    ).rejects.toThrow(/VisibilityTimeout/);
    // Whole seconds (rounded) …
    sent.length = 0;
    await createSqsTaskVisibility(recorded, queues.fanout).delay(handle, 1.6);
    // … and capped: last, so the task stays hidden for the rest of the file.
    await expect(createSqsTaskVisibility(recorded, queues.fanout).delay(handle, 90_000)).resolves.toBeUndefined();
    expect(sent.map((c) => [c.command, c.input.VisibilityTimeout])).toEqual([
      ['ChangeMessageVisibilityCommand', 2],
      ['ChangeMessageVisibilityCommand', 43_200],
    ]);
  });

  it('sends a fan-out task with a delay (deliverAt), capped at SQS\'s 900 s', async () => {
    const sentAt = Date.now();
    await createSqsFanoutQueue(sqs, queues.fanout).send({ kind: 'message', appId: 'app_1', msgId: 'msg_later' }, { delaySeconds: 2 });
    expect((await receiveEvent(sqs, queues.fanout, { waitSeconds: 0 })).Records).toHaveLength(0);
    const event = await receiveAtLeast(sqs, queues.fanout, 1, 5_000);
    expect(JSON.parse(event.Records[0]!.body)).toMatchObject({ msgId: 'msg_later' });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_900);
    // Beyond SQS's 900 s (fauxqs would take more, SQS would not): what is asked for is 900.
    sent.length = 0;
    await createSqsFanoutQueue(recorded, queues.fanoutDlq).send({ kind: 'message', appId: 'app_1', msgId: 'm' }, { delaySeconds: 5_000 });
    await createSqsFanoutQueue(recorded, queues.fanoutDlq).send({ kind: 'message', appId: 'app_1', msgId: 'm' }, { delaySeconds: 0.2 });
    await createSqsFanoutQueue(recorded, queues.fanoutDlq).send({ kind: 'message', appId: 'app_1', msgId: 'm' });
    expect(sent.map((c) => c.input.DelaySeconds)).toEqual([900, 1, undefined]);
  });
});
