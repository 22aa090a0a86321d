/**
 * AWS SDK errors as SendOutcomes, read the way the retry policy reads an HTTP response: a status
 * AWS answered is an http-error with that status (403 for a role Sluice may not assume or a queue
 * policy that refuses it, 400 for a queue that does not exist), throttling is a 429 (the overload
 * floor applies), an abort is a timeout, and no answer at all is a network error.
 */
import type { SendOutcome } from '../../core/delivery/sender.ts';
import { describeNetworkError } from '../http/send-errors.ts';

interface AwsErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The error names AWS services use for "slow down" (SQS, SNS, STS, EventBridge and KMS behind them). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'LimitExceededException',
]);

const isObject = (e: unknown): e is AwsErrorLike => typeof e === 'object' && e !== null;

export const isThrottlingCode = (name: string): boolean => THROTTLING.has(name);

/** `action`: what was being done, for the attempt log ("sqs:SendMessage to arn:…"). */
export function outcomeOfAwsError(error: unknown, action: string, durationMs: number, timeoutMs: number): SendOutcome {
  const name = isObject(error) && typeof error.name === 'string' ? error.name : 'Error';
  const detail = isObject(error) && typeof error.message === 'string' ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError') {
    return { kind: 'timeout', message: `${action}: no answer within ${timeoutMs} ms`, durationMs };
  }
  const status = isObject(error) ? error.$metadata?.httpStatusCode : undefined;
  if (isThrottlingCode(name)) return { kind: 'http-error', statusCode: 429, body: `${action}: ${name}: ${detail}`, durationMs };
  if (typeof status === 'number' && status >= 300) {
    return { kind: 'http-error', statusCode: status, body: `${action}: ${name}: ${detail}`, durationMs };
  }
  return { kind: 'network-error', message: `${action}: ${describeNetworkError(error)}`, durationMs };
}
