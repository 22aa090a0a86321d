/**
 * The state of one message for one endpoint, as Svix's attempted-messages and attempted-destinations
 * lists show it, from what the delivery path already wrote: the DeliveryStatus item (written only when
 * an attempt failed or is pending) or, without one, the latest attempt (a first attempt that
 * succeeded writes nothing else).
 */
import { AttemptStatus, type DeliveryStatus, type MessageAttempt } from '../model.ts';

export interface DeliveryState {
  status: AttemptStatus;
  /** When the next automatic attempt is due; null when none is scheduled. */
  nextAttempt: string | null;
}

/** Retrying (a next attempt is scheduled), as DeliveryStatus says. */
const nextScheduled = (status: DeliveryStatus | undefined): string | null =>
  status !== undefined && status.status === AttemptStatus.Pending ? status.nextAttemptAt : null;

/**
 * EndpointMessageOut: a message whose next attempt is scheduled is Sending (Svix: "a next_attempt
 * means sending"); otherwise its final status (any success wins, as DeliveryStatus keeps it).
 */
export function endpointMessageState(latest: MessageAttempt, status: DeliveryStatus | undefined): DeliveryState {
  const next = nextScheduled(status);
  if (next !== null) return { status: AttemptStatus.Sending, nextAttempt: next };
  return { status: status?.status ?? latest.status, nextAttempt: null };
}

/** MessageEndpointOut: the latest attempt's own status, with the next attempt when one is scheduled (as Svix). */
export function destinationState(latest: MessageAttempt, status: DeliveryStatus | undefined): DeliveryState {
  const next = nextScheduled(status);
  if (next !== null) return { status: latest.status, nextAttempt: next };
  if (status !== undefined && status.status !== AttemptStatus.Pending) return { status: status.status, nextAttempt: null };
  return { status: latest.status, nextAttempt: null };
}

/** True when `attempt` is the latest one the status knows of (or no status says otherwise). */
export function isLatestAttempt(attempt: MessageAttempt, status: DeliveryStatus | undefined): boolean {
  const last = status?.lastAttemptAt;
  return last === undefined || last === null || attempt.timestamp >= last;
}
