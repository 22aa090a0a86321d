/**
 * The AWS-native destination sender, loaded on the first send to one: a worker that only ever POSTs
 * to URLs never loads the adapter or the STS, SNS and EventBridge SDKs.
 */
import type { AwsDestinationOptions, ClosableDestinationSender } from '../../adapters/aws-destinations/destination-sender.ts';

export type { AwsDestinationOptions } from '../../adapters/aws-destinations/destination-sender.ts';

export function lazyDestinationSender(options: AwsDestinationOptions): { send: ClosableDestinationSender['send']; close(): Promise<void> } {
  let sender: Promise<ClosableDestinationSender> | undefined;
  return {
    async send(request) {
      sender ??= import('../../adapters/aws-destinations/destination-sender.ts').then((m) => m.createAwsDestinationSender(options));
      try {
        return await (await sender).send(request);
      } catch (error) {
        // Only loading the adapter can throw (its send never does): a failed attempt, and the next loads again.
        sender = undefined;
        return { kind: 'network-error', message: `Not sent: the AWS destination adapter did not load: ${String(error)}`, durationMs: 0 };
      }
    },
    async close() {
      // A sender that never loaded (or failed to) has nothing to close.
      (await sender?.catch(() => undefined))?.close();
    },
  };
}
