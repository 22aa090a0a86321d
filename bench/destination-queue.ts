/**
 * The SQS-destination run's "receiver": a queue on fauxqs that an endpoint delivers into (through a
 * role Sluice assumes from the STS stand-in), drained by long-polling loops that record each message
 * as an arrival (webhook-id from its attributes, at the moment ReceiveMessage returned it), so the same
 * throughput measurement reads it. The drain's own SQS calls are the customer's, not metered.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators/credentials.ts';
import type { RunningSluice } from '../local/stack.ts';
import type { ApiClient, BenchApp } from './api-client.ts';
import type { BenchReceiver } from './receiver.ts';

const ROLE = 'arn:aws:iam::111122223333:role/bench-destination';
const PATH = '/sqs-destination';
const DRAIN_LOOPS = 2;

export interface DestinationQueue {
  app: BenchApp;
  stop(): Promise<void>;
}

/** Creates the queue, an app whose one endpoint delivers into it, trusts the role, and starts draining. */
export async function startDestinationQueue(sluice: RunningSluice, api: ApiClient, receiver: BenchReceiver, uid: string, secret: string): Promise<DestinationQueue> {
  const sqs = new SQSClient({ endpoint: sluice.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${uid}-queue` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const app = await api.post('/app', { name: `bench ${uid}`, uid });
  if (app.status !== 201) throw new Error(`creating app ${uid}: ${app.status} ${JSON.stringify(app.body)}`);
  const ep = await api.post(`/app/${uid}/endpoint`, { url: Attributes?.QueueArn, uid: 'ep-0', secret, destination: { roleArn: ROLE } });
  if (ep.status !== 201) throw new Error(`creating the destination endpoint: ${ep.status} ${JSON.stringify(ep.body)}`);
  sluice.aws.sts.trust(ROLE, (ep.body['destination'] as { externalId: string }).externalId);

  let stopped = false;
  const drain = async (): Promise<void> => {
    while (!stopped) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['webhook-id'] }),
      );
      const at = performance.now();
      for (const m of Messages) receiver.record({ path: PATH, webhookId: m.MessageAttributes?.['webhook-id']?.StringValue ?? '', at });
      if (Messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
      }
    }
  };
  const loops = Array.from({ length: DRAIN_LOOPS }, drain);
  return {
    app: { uid, paths: [PATH] },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      sqs.destroy();
    },
  };
}
