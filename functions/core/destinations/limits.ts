/**
 * What each destination service accepts in one message, as AWS documents it. A webhook that does not
 * fit is refused before anything is sent: it never will fit, so it fails once, for good (413).
 */
import type { DestinationType } from './arn.ts';

const KiB = 1024;

/** The largest message each service takes, body and attributes together. */
export const DESTINATION_MAX_BYTES: Record<DestinationType, number> = {
  // SQS raised its limit from 256 KiB to 1 MiB in August 2025.
  sqs: 1024 * KiB,
  sns: 256 * KiB,
  // A PutEvents request's entries "must be less than" 1 MB (256 KB until January 2026), counted as
  // EventBridge documents: source, detail type, detail (and resources and time, which Sluice does not send).
  events: 1024 * KiB - 1,
};

const SERVICE_NAMES: Record<DestinationType, string> = { sqs: 'SQS', sns: 'SNS', events: 'EventBridge' };

export const serviceName = (type: DestinationType): string => SERVICE_NAMES[type];

/** The reason a message of `bytes` does not fit, or undefined when it does. */
export function oversizeReason(type: DestinationType, bytes: number): string | undefined {
  const max = DESTINATION_MAX_BYTES[type];
  if (bytes <= max) return undefined;
  return `Not sent: the webhook is ${bytes} bytes and ${SERVICE_NAMES[type]} takes at most ${max} bytes per message`;
}
