/**
 * MessageIn.deliverAt: a message delivered later, best-effort, at most 24 h ahead (Svix). No scheduler
 * of its own: the wait lives in SQS. Publish sends the fan-out task with DelaySeconds (≤ 15 min); a
 * task that fan-out receives before its time is held (its visibility timeout becomes the rest of the
 * wait, ≤ 12 h) and handed back. Both pure functions round UP to whole seconds, SQS's granularity,
 * so a message is never delivered before its deliverAt.
 *
 * Receives used by a 24 h schedule: the initial delay covers 900 s without a receive, then holds of
 * MAX_FANOUT_HOLD_SECONDS (43,170 s) take the rest: receive 1 (~t+900 s) holds, receive 2
 * (~t+44,070 s) holds, receive 3 (~t+86,400 s) fans out. 3 of the fan-out queue's maxReceiveCount (5),
 * which leaves 2 for transient failures.
 */
import { QUEUES } from '../../shared/names.ts';
import { SQS_MAX_VISIBILITY_SECONDS } from '../delivery/retry-policy.ts';

/** How far ahead deliverAt may be (Svix: "no more than 24 hours in the future"). */
export const MAX_DELIVER_AT_AHEAD_MS = 24 * 3_600_000;
/** SQS's maximum DelaySeconds on SendMessage (15 min). */
export const SQS_MAX_DELAY_SECONDS = 900;
/**
 * The longest one hold can be. As for retries (retry-policy.ts), SQS counts the 12 h from the receive
 * and the hold is set up to the consumer's timeout later, so it must leave that much room.
 */
export const MAX_FANOUT_HOLD_SECONDS = SQS_MAX_VISIBILITY_SECONDS - QUEUES.fanout.consumerTimeoutSeconds;

/** Whole seconds from now until deliverAt, rounded up; 0 when there is none or it has come. */
function secondsUntil(deliverAt: string | null | undefined, now: Date): number {
  if (deliverAt == null) return 0;
  const ms = Date.parse(deliverAt) - now.getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/** True when deliverAt is further ahead than allowed (the API refuses it). */
export function deliverAtTooFar(deliverAt: string, now: Date): boolean {
  return Date.parse(deliverAt) - now.getTime() > MAX_DELIVER_AT_AHEAD_MS;
}

/** The DelaySeconds of a message's fan-out task at publish: 0 sends it at once. */
export function publishDelaySeconds(deliverAt: string | null | undefined, now: Date): number {
  return Math.min(SQS_MAX_DELAY_SECONDS, secondsUntil(deliverAt, now));
}

/**
 * Fan-out's decision for a message task: undefined, fan out now; a number, hold the task that many
 * seconds (its remaining wait, capped at MAX_FANOUT_HOLD_SECONDS) and look again when it comes back.
 */
export function fanoutHoldSeconds(deliverAt: string | null | undefined, now: Date): number | undefined {
  const remaining = secondsUntil(deliverAt, now);
  return remaining === 0 ? undefined : Math.min(MAX_FANOUT_HOLD_SECONDS, remaining);
}
