/**
 * AWS-native destinations on this machine: the STS and EventBridge stand-ins (local/emulators/), with
 * SQS and SNS on fauxqs. Customer roles are "trusted" by listing them, with their external ids, in
 * `<dataDir>/local-iam-roles.json` (re-read on every AssumeRole) or through the stand-in's trust().
 */
import { join } from 'node:path';
import type { AwsDestinationOptions } from '../functions/shared/wiring/destinations.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators/credentials.ts';
import { startEventBridgeStandIn, type EventBridgeStandIn } from './emulators/eventbridge-standin.ts';
import { startStsStandIn, type StsStandIn } from './emulators/sts-standin.ts';

export const LOCAL_ROLES_FILE = 'local-iam-roles.json';

/**
 * The principal a local stack tells customers to trust (its DestinationPrincipalArn). No IAM checks it
 * here: the STS stand-in trusts what the roles file lists.
 */
export const LOCAL_DESTINATION_PRINCIPAL_ARN = 'arn:aws:iam::000000000000:role/sluice-local-delivery';

/** Where a local stack's services listen (also in `.sluice/runtime.json`, for worker processes). */
export interface LocalEndpoints {
  dynamodb: string;
  /** fauxqs: SQS, SNS and S3. */
  sqs: string;
  sts?: string | undefined;
  events?: string | undefined;
}

export interface DestinationStandIns {
  sts: StsStandIn;
  events: EventBridgeStandIn;
  stop(): Promise<void>;
}

export async function startDestinationStandIns(dataDir: string | undefined): Promise<DestinationStandIns> {
  const [sts, events] = await Promise.all([
    startStsStandIn(dataDir === undefined ? {} : { rolesFile: join(dataDir, LOCAL_ROLES_FILE) }),
    startEventBridgeStandIn({ region: LOCAL_REGION }),
  ]);
  return { sts, events, stop: () => Promise.all([sts.stop(), events.stop()]).then(() => undefined) };
}

/** The delivery function's destination settings for a local stack at `endpoints`. */
export function localDestinationOptions(endpoints: LocalEndpoints): AwsDestinationOptions {
  return {
    endpoints: { sts: endpoints.sts, sqs: endpoints.sqs, sns: endpoints.sqs, events: endpoints.events },
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  };
}
