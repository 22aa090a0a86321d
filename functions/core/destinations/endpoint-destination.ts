/**
 * An endpoint's destination from what a create, replace or patch asked for. The endpoint's `url` says
 * where messages go (an http(s) URL, or the ARN of a queue, topic or bus), so Svix SDK clients, which
 * know nothing of `destination`, keep working: a PUT that echoes the ARN back keeps the role and the
 * external id. `destination.roleArn` is needed once, when an endpoint first points at an ARN.
 */
import { randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.ts';
import type { Endpoint, EndpointDestination } from '../model.ts';
import { looksLikeArn } from './arn.ts';

/** What a request may say: the role (the ARN is the url); null: none; undefined: not said. */
export interface DestinationInput {
  roleArn: string;
}

const AT = ['body', 'destination'];

/** 32 random characters (STS allows 2–1224 of [\w+=,.@:/-]); not a secret, but not guessable either. */
export const generateExternalId = (): string => `sluice-${randomBytes(24).toString('base64url')}`;

export function resolveDestination(
  url: string,
  requested: DestinationInput | null | undefined,
  previous: Endpoint | undefined,
): EndpointDestination | null {
  if (!looksLikeArn(url)) {
    if (requested !== null && requested !== undefined) {
      throw ValidationError.at(AT, 'destination is for AWS destinations: set url to the SQS queue, SNS topic or EventBridge bus ARN');
    }
    return null;
  }
  const roleArn = requested?.roleArn ?? (requested === undefined ? previous?.destination?.roleArn : undefined);
  if (roleArn === undefined) {
    throw ValidationError.at(
      AT,
      'an SQS, SNS or EventBridge url needs destination.roleArn: the IAM role in your account that Sluice assumes to send',
      'value_error.missing',
    );
  }
  return { arn: url, roleArn, externalId: previous?.destination?.externalId ?? generateExternalId() };
}
