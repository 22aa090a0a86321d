/** Where a function keeps and reads payloads over 256 KiB: the configured bucket, or nowhere (capped at 256 KiB). */
import { createS3PayloadObjects } from '../../adapters/s3/payload-objects.ts';
import type { PayloadObjects } from '../../core/messages/payload-objects.ts';
import type { Config } from '../config.ts';
import type { AwsClients } from './clients.ts';

export function payloadObjectsFor(config: Config, clients: AwsClients): PayloadObjects | undefined {
  return config.payloadBucket === undefined ? undefined : createS3PayloadObjects(config.payloadBucket, clients.s3.get);
}
