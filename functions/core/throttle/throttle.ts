/**
 * Per-endpoint throttling (`throttleRate`, messages per second), enforced across every delivery worker.
 *
 * Algorithm: a shared schedule of send slots, one `interval = 1000 / rate` ms apart (GCRA, the
 * "virtual scheduling" form of a token bucket with no burst allowance). DynamoDB holds one number per
 * endpoint, `nextFreeMs`: the earliest time the next send may start. A worker claims the slot
 * `s = max(nextFreeMs, now)`: when the endpoint is idle (`nextFreeMs <= now`) one conditional write takes
 * `now`; otherwise an atomic `nextFreeMs += interval` takes the old value. Both are single atomic
 * updates, so there is no retry loop for busy endpoints to lose (however many workers race), slots are
 * never shared, and sends start at least `interval` apart.
 *
 * - A slot within MAX_WAIT_MS: the worker sleeps until it, then sends.
 * - A later slot: the task is held back (the caller records the slot in the delivery status and sets
 *   the task's visibility so it comes back just before the slot); excess is delayed, never dropped.
 *
 * Burst: none in the schedule. Measured over any 1-second window at the receiver, an endpoint sees at
 * most `rate + 1` requests (a closed window can hold both ends of `rate` intervals, and a sender may
 * start up to LATE_GRACE after its slot; network jitter comes on top). That documented burst of 1 is
 * what the integration test allows.
 */

export interface ThrottleStore {
  /** Claims the endpoint's next send slot (epoch ms, at least `nowMs`) and moves it on by `intervalMs`. */
  claim(appId: string, endpointId: string, nowMs: number, intervalMs: number): Promise<number>;
}

/** A worker sleeps for a slot up to this long instead of handing the task back to the queue. */
export const THROTTLE_MAX_WAIT_MS = 3_000;
/** A held-back task comes back this long before its slot (the queue's granularity is a second). */
export const THROTTLE_RETURN_LEAD_MS = 1_000;

/** How late after its slot a held-back task may still use it (beyond: the slot is given up, a new one claimed). */
export function lateGraceMs(rate: number): number {
  return Math.min(250, 500 / rate);
}

export function intervalMs(rate: number): number {
  return 1000 / rate;
}

export interface Throttle {
  /** Claims the next free slot of the endpoint (epoch ms). */
  claim(appId: string, endpointId: string, rate: number): Promise<number>;
}

/** Claims slots: one atomic DynamoDB update (two when the endpoint is busy) per send. */
export function createThrottle(options: { store: ThrottleStore; now: () => Date }): Throttle {
  const { store, now } = options;
  return {
    claim: (appId, endpointId, rate) => store.claim(appId, endpointId, now().getTime(), intervalMs(rate)),
  };
}

/** Seconds to hold a task back so it returns about THROTTLE_RETURN_LEAD_MS before `slotMs`. */
export function holdSeconds(slotMs: number, nowMs: number): number {
  return Math.max(1, Math.floor((slotMs - nowMs - THROTTLE_RETURN_LEAD_MS) / 1000));
}
