/**
 * The ARNs an AWS-native destination names: the target (an SQS queue, an SNS topic or an EventBridge
 * bus in the customer's account) and the IAM role Sluice assumes to reach it. Parsed strictly: the
 * region and account become parts of an AWS endpoint host name and a queue URL, so nothing but the
 * documented characters may pass.
 */

export type DestinationType = 'sqs' | 'sns' | 'events';

export const DESTINATION_TYPES: readonly DestinationType[] = ['sqs', 'sns', 'events'];

export interface DestinationArn {
  type: DestinationType;
  partition: string;
  region: string;
  accountId: string;
  /** The queue, topic or bus name. */
  name: string;
  /** A FIFO queue or topic (its name ends in `.fifo`): sends carry a message group and deduplication id. */
  fifo: boolean;
}

const PARTITION = '(aws|aws-cn|aws-us-gov)';
const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d{1,2})';
const ACCOUNT = '(\\d{12})';

/** Names as each service documents them (SQS: 80 chars, SNS: 256, EventBridge buses: 256). */
const PATTERNS: Record<DestinationType, RegExp> = {
  sqs: new RegExp(`^arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:([A-Za-z0-9_-]{1,75}(?:\\.fifo)?|[A-Za-z0-9_-]{1,80})$`),
  sns: new RegExp(`^arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:([A-Za-z0-9_-]{1,251}(?:\\.fifo)?|[A-Za-z0-9_-]{1,256})$`),
  events: new RegExp(`^arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/([A-Za-z0-9._/-]{1,256})$`),
};

const ROLE = new RegExp(`^arn:${PARTITION}:iam::${ACCOUNT}:role/((?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64})$`);

/** The destination an ARN names, or undefined when it is not an SQS queue, SNS topic or EventBridge bus ARN. */
export function parseDestinationArn(arn: string): DestinationArn | undefined {
  if (arn.length > 2048) return undefined;
  for (const type of DESTINATION_TYPES) {
    const match = PATTERNS[type].exec(arn);
    if (match === null) continue;
    const [, partition = '', region = '', accountId = '', name = ''] = match;
    return { type, partition, region, accountId, name, fifo: type !== 'events' && name.endsWith('.fifo') };
  }
  return undefined;
}

/** True for an IAM role ARN (`arn:aws:iam::123456789012:role/path/name`). */
export function isRoleArn(arn: string): boolean {
  return arn.length <= 2048 && ROLE.test(arn);
}

/** True when `url` is written as an ARN (then it names a destination, never an HTTP receiver). */
export const looksLikeArn = (url: string): boolean => url.startsWith('arn:');
