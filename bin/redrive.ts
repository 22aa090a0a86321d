/**
 * `npm run redrive -- --queue delivery|deliverySlow|fanout [--stack Sluice] [--aws|--local] [--no-wait]`
 *
 * Moves the tasks of a dead-letter queue back to its work queue, after the cause is fixed (the DLQ
 * alarm fired). Local mode when a local stack is running (`npm start` writes .sluice/runtime.json; or
 * SLUICE_LOCAL_STACK is set) or with --local: receive/send/delete against fauxqs. Otherwise AWS, with
 * the default credentials and region: SQS StartMessageMoveTask from `<stack>-sluice-<queue>-dlq` to
 * `<stack>-sluice-<queue>`. See local/redrive.ts.
 */
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { QUEUES } from '../functions/shared/names.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators/credentials.ts';
import { moveMessages, startMoveTask, type QueueName } from '../local/redrive.ts';
import { localStackAddress } from '../local/runtime-file.ts';

const USAGE = 'usage: npm run redrive -- --queue delivery|deliverySlow|fanout [--stack Sluice] [--aws|--local] [--no-wait]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      queue: { type: 'string' },
      stack: { type: 'string', default: 'Sluice' },
      aws: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
    },
  });
  const queue = values.queue;
  if (queue === undefined || !(queue in QUEUES)) throw new Error(USAGE);
  const log = (line: string): void => console.log(`redrive ${queue}: ${line}`);

  const local = values.aws ? undefined : localStackAddress(process.env);
  if (values.local && local === undefined) throw new Error('--local: no running local stack (start one with npm start)');
  if (local !== undefined) {
    const sqs = new SQSClient({ endpoint: local.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false });
    try {
      const urls = local.queueUrls;
      const pairs: Record<QueueName, [string, string]> = {
        fanout: [urls.fanoutDlq, urls.fanout],
        delivery: [urls.deliveryDlq, urls.delivery],
        deliverySlow: [urls.deliverySlowDlq, urls.deliverySlow],
        fanoutOrdered: [urls.fanoutOrderedDlq, urls.fanoutOrdered],
        deliveryOrdered: [urls.deliveryOrderedDlq, urls.deliveryOrdered],
      };
      const [dlq, target] = pairs[queue as QueueName];
      log(`local mode (${local.endpoints.sqs})`);
      await moveMessages(sqs, dlq, target, log);
    } finally {
      sqs.destroy();
    }
    return;
  }
  const sqs = new SQSClient({});
  try {
    log(`AWS mode (stack ${values.stack})`);
    await startMoveTask(sqs, values.stack, queue as QueueName, { wait: !values['no-wait'], log });
  } finally {
    sqs.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
