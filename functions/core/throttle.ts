/**
 * Per-endpoint throttling (`throttleRate`, messages per second), enforced across every delivery worker.
 *
 * Algorithm: a shared schedule of send slots, one `interval = 1000 / rate` ms apart (GCRA, the
 * "virtual scheduling" form of a token bucket with no burst allowance). DynamoDB holds one number per
 * endpoint, `nextFreeMs`: the earliest time the next send may start. A worker claims the slot
 * `s = max(nextFreeMs, now)` with one conditional write (`nextFreeMs <= s` → `nextFreeMs = s + interval`);
 * a lost race returns the current value and the worker claims the slot after it. Slots are never
 * shared, so sends start at least `interval` apart whatever the number of workers.
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
  /**
   * Claims the slot starting at `slotMs` by setting the endpoint's next free slot to `nextMs`, provided
   * it is at or before `slotMs` (or unset). Otherwise returns the current next free slot.
   */
  claim(appId: string, endpointId: string, slotMs: number, nextMs: number): Promise<{ claimed: true } | { claimed: false; nextFreeMs: number }>;
}

/** A worker sleeps for a slot up to this long instead of handing the task back to the queue. */
export const THROTTLE_MAX_WAIT_MS = 3_000;
/** A held-back task comes back this long before its slot (the queue's granularity is a second). */
export const THROTTLE_RETURN_LEAD_MS = 1_000;
/** Claim rounds lost to other workers before a task is simply held back for a second. */
const MAX_CLAIM_ROUNDS = 25;

/** How late after its slot a held-back task may still use it (beyond: the slot is given up, a new one claimed). */
export function lateGraceMs(rate: number): number {
  return Math.min(250, 500 / rate);
}

export function intervalMs(rate: number): number {
  return 1000 / rate;
}

export interface Throttle {
  /** Claims the next free slot of the endpoint (epoch ms), or undefined when too many workers raced for it. */
  claim(appId: string, endpointId: string, rate: number): Promise<number | undefined>;
}

/**
 * Claims slots. Within one worker the claims for an endpoint run one after another with the last known
 * `nextFreeMs` cached, so the tasks of a batch do not race each other through DynamoDB.
 */
export function createThrottle(options: { store: ThrottleStore; now: () => Date }): Throttle {
  const { store, now } = options;
  const known = new Map<string, number>();
  const queues = new Map<string, Promise<unknown>>();

  async function claimOnce(appId: string, endpointId: string, rate: number): Promise<number | undefined> {
    const key = `${appId}/${endpointId}`;
    const interval = intervalMs(rate);
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const slot = Math.max(known.get(key) ?? 0, now().getTime());
      const result = await store.claim(appId, endpointId, slot, slot + interval);
      if (result.claimed) {
        known.set(key, slot + interval);
        return slot;
      }
      known.set(key, result.nextFreeMs);
    }
    return undefined;
  }

  return {
    claim(appId, endpointId, rate) {
      const key = `${appId}/${endpointId}`;
      const previous = queues.get(key) ?? Promise.resolve();
      const mine = previous.then(() => claimOnce(appId, endpointId, rate));
      const settled = mine.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return mine;
    },
  };
}

/** Seconds to hold a task back so it returns about THROTTLE_RETURN_LEAD_MS before `slotMs`. */
export function holdSeconds(slotMs: number, nowMs: number): number {
  return Math.max(1, Math.floor((slotMs - nowMs - THROTTLE_RETURN_LEAD_MS) / 1000));
}
