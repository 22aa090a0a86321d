/**
 * The AWS path of `npm run redrive` (local/redrive.ts startMoveTask): it asks SQS to move the DLQ's
 * tasks back with StartMessageMoveTask and follows ListMessageMoveTasks to the end. fauxqs has no move
 * task and nothing else here does, so those two operations are answered by a STAND-IN: an SDK
 * middleware on a real SQSClient that performs the move itself (receive/send/delete on fauxqs) and
 * reports it like SQS does; every other call (GetQueueUrl, GetQueueAttributes, …) goes to fauxqs as is.
 */
import {
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { startMoveTask } from '../../local/redrive.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startSqsEmulator, type SqsEmulator } from '../../local/emulators/sqs.ts';
import { ensureQueues, type QueueUrls } from '../../local/resources.ts';

const STACK = 'RedriveTest';

let emulator: SqsEmulator;
let plain: SQSClient;
let queues: QueueUrls;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  plain = new SQSClient({ endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  queues = await ensureQueues(plain, `${STACK}-`);
});

afterAll(async () => {
  plain.destroy();
  await emulator.stop();
});

const arnOf = async (url: string): Promise<string> =>
  (await plain.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;

async function drainBodies(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const got = (await plain.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? [];
    if (got.length === 0) return bodies.sort();
    for (const m of got) {
      bodies.push(m.Body!);
      await plain.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

/** A client whose StartMessageMoveTask / ListMessageMoveTasks are answered by the stand-in. */
function withMoveTaskStandIn(outcome: { fail?: string } = {}): { sqs: SQSClient; started: { SourceArn?: string; DestinationArn?: string }[] } {
  const sqs = new SQSClient({ endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const started: { SourceArn?: string; DestinationArn?: string }[] = [];
  let task: ListMessageMoveTasksResultEntry | undefined;
  let polls = 0;
  const urlOf = async (arn: string): Promise<string> => {
    for (const url of Object.values(queues)) if ((await arnOf(url)) === arn) return url;
    throw new Error(`no queue ${arn}`);
  };
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { SourceArn: string; DestinationArn: string };
      if (context.commandName === 'StartMessageMoveTaskCommand') {
        started.push({ SourceArn: input.SourceArn, DestinationArn: input.DestinationArn });
        const moved: string[] = [];
        const [from, to] = [await urlOf(input.SourceArn), await urlOf(input.DestinationArn)];
        for (const body of await drainBodies(from)) {
          await plain.send(new SendMessageCommand({ QueueUrl: to, MessageBody: body }));
          moved.push(body);
        }
        task = outcome.fail === undefined
          ? { Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: moved.length, ApproximateNumberOfMessagesToMove: moved.length }
          : { Status: 'FAILED', FailureReason: outcome.fail };
        return { output: { TaskHandle: 'stand-in-task', $metadata: {} }, response: {} } as never;
      }
      if (context.commandName === 'ListMessageMoveTasksCommand') {
        // SQS reports a running task first; the caller must keep polling.
        const results = polls++ === 0 ? [{ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 0 }] : task === undefined ? [] : [task];
        return { output: { Results: results, $metadata: {} }, response: {} } as never;
      }
      return next(args);
    },
    { step: 'initialize', name: 'moveTaskStandIn' },
  );
  return { sqs, started };
}

test('moves the DLQ back to its queue, from the real ARNs, and waits until SQS says COMPLETED', async () => {
  for (const n of [1, 2, 3]) await plain.send(new SendMessageCommand({ QueueUrl: queues.deliveryDlq, MessageBody: `task-${n}` }));
  const { sqs, started } = withMoveTaskStandIn();
  const lines: string[] = [];
  try {
    const result = await startMoveTask(sqs, STACK, 'delivery', { pollMs: 10, log: (line) => lines.push(line) });
    expect(result).toEqual({ moved: 3 });
  } finally {
    sqs.destroy();
  }
  expect(started).toEqual([{ SourceArn: await arnOf(queues.deliveryDlq), DestinationArn: await arnOf(queues.delivery) }]);
  expect(await drainBodies(queues.delivery)).toEqual(['task-1', 'task-2', 'task-3']);
  expect(await drainBodies(queues.deliveryDlq)).toEqual([]);
  expect(lines[0]).toMatch(/^started move task stand-in-task: .*-dlq → /);
  expect(lines.slice(1)).toEqual(['RUNNING: 0 of ? moved', 'COMPLETED: 3 of 3 moved']);
});

test('a move task that fails is an error with SQS\'s reason', async () => {
  const { sqs } = withMoveTaskStandIn({ fail: 'AccessDenied on the destination' });
  try {
    await expect(startMoveTask(sqs, STACK, 'fanout', { pollMs: 10 })).rejects.toThrow('Move task FAILED: AccessDenied on the destination');
  } finally {
    sqs.destroy();
  }
});

test('--no-wait returns once the task is started', async () => {
  const { sqs, started } = withMoveTaskStandIn();
  try {
    expect(await startMoveTask(sqs, STACK, 'fanout', { wait: false })).toEqual({ moved: 0 });
  } finally {
    sqs.destroy();
  }
  expect(started).toEqual([{ SourceArn: await arnOf(queues.fanoutDlq), DestinationArn: await arnOf(queues.fanout) }]);
});

test('an unknown stack is refused before anything is started', async () => {
  const { sqs, started } = withMoveTaskStandIn();
  try {
    await expect(startMoveTask(sqs, 'NoSuchStack', 'delivery', { pollMs: 10 })).rejects.toThrow();
  } finally {
    sqs.destroy();
  }
  expect(started).toEqual([]);
});
