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
      return (await sender).send(request);
    },
    async close() {
      // A sender that never loaded (or failed to) has nothing to close.
      (await sender?.catch(() => undefined))?.close();
    },
  };
}
