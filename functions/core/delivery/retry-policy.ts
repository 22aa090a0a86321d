/**
 * When to try a failed webhook again: data plus one pure function. Retries live in SQS (the failed
 * task's visibility timeout becomes the delay), so a delay can never exceed SQS's 12 h maximum.
 */
import { DELIVERY, QUEUES } from '../../shared/names.ts';

/** SQS's maximum visibility timeout (12 h). */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;
/**
 * The longest delay one retry can wait. SQS counts its 12 h visibility limit from the RECEIVE, and the
 * delay is set at the end of the invocation (at most the consumer's timeout after the receive), so
 * the delay must leave that much room below 12 h or ChangeMessageVisibility would be refused.
 */
export const MAX_RETRY_DELAY_SECONDS = SQS_MAX_VISIBILITY_SECONDS - QUEUES.delivery.consumerTimeoutSeconds;
/** After a timeout or a 429 the receiver is struggling: give it at least this long. */
export const MIN_DELAY_AFTER_OVERLOAD_SECONDS = DELIVERY.defaultOverloadMinDelaySeconds;
/** Each delay is spread by ±20 % so retries of a burst do not arrive together. */
export const JITTER_FRACTION = 0.2;

/** What the retry policy needs to know about an attempt's result (SendOutcome satisfies it). */
export type AttemptOutcome =
  | { kind: 'success' }
  | { kind: 'http-error'; statusCode: number; final?: boolean | undefined }
  | { kind: 'timeout' }
  | { kind: 'network-error' };

export interface RetryInput {
  /** The 1-based number of the attempt that just ended. */
  attemptNumber: number;
  /** Delays before attempts 2, 3, …, n (config.retryScheduleSeconds); the first attempt is immediate. */
  schedule: readonly number[];
  outcome: AttemptOutcome;
  /** The receiver's Retry-After, in seconds, if any. */
  retryAfterSeconds?: number | undefined;
  /** A number in [0, 1), Math.random in production, fixed in tests. */
  random: () => number;
  /** The floor after a timeout or 429; default MIN_DELAY_AFTER_OVERLOAD_SECONDS (lowered only to compress test schedules). */
  minDelayAfterOverloadSeconds?: number | undefined;
}

/** True when the receiver answered 410 Gone: stop retrying, and the endpoint is a candidate for disabling. */
export function isEndpointGone(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'http-error' && outcome.statusCode === 410;
}

/** True when the outcome means the receiver is overloaded (timeout or 429 Too Many Requests). */
function isOverload(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'timeout' || (outcome.kind === 'http-error' && outcome.statusCode === 429);
}

/**
 * Seconds to wait before the next attempt, or null when there is none: the attempt succeeded, the
 * receiver said 410 Gone, the failure is final (a webhook too big for its destination), or the
 * schedule is exhausted. Connection errors (refused, reset, DNS failures: `network-error`) and every
 * other non-2xx status are retried on the schedule, like a 5xx.
 */
export function nextRetryDelaySeconds(input: RetryInput): number | null {
  const { attemptNumber, schedule, outcome } = input;
  if (outcome.kind === 'success' || isEndpointGone(outcome)) return null;
  if (outcome.kind === 'http-error' && outcome.final === true) return null;
  const scheduled = schedule[attemptNumber - 1];
  if (attemptNumber < 1 || scheduled === undefined) return null;

  let delay = scheduled * (1 - JITTER_FRACTION + 2 * JITTER_FRACTION * input.random());
  if (isOverload(outcome)) delay = Math.max(delay, input.minDelayAfterOverloadSeconds ?? MIN_DELAY_AFTER_OVERLOAD_SECONDS);
  const retryAfter = input.retryAfterSeconds;
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    // Honour the receiver's wish, but neither sooner than planned nor more than twice as late.
    delay = Math.min(Math.max(retryAfter, delay), 2 * delay);
  }
  return Math.min(Math.round(delay), MAX_RETRY_DELAY_SECONDS);
}
