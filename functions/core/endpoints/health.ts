/**
 * Endpoint auto-disable: an endpoint whose attempts have all failed for `disableAfterMs` (Svix: 5 days)
 * is disabled and the operator is told (endpoint.disabled). A 410 Gone disables it at once.
 *
 * The state is one small item per endpoint, `failingSince`, written only when it CHANGES: set by the
 * first failure after a success, removed by the first success after a failure. Each worker keeps what
 * it last saw for a short while (`cacheMs`, at most a minute), so a steady stream of successes (or of
 * failures) costs no reads or writes at all. The price of the cache: a success seen by one worker may
 * clear `failingSince` up to `cacheMs` late, so "failing for 5 days" is exact to within a minute.
 * Disabling is conditional on `failingSince` still holding the value this worker saw, so a stale cache
 * can never disable an endpoint that has succeeded since.
 */

export interface EndpointHealthStore {
  /** When the current run of failures began; null when the endpoint is healthy (or unknown). */
  failingSince(appId: string, endpointId: string): Promise<string | null>;
  /** Starts a run of failures at `at` unless one is running; returns the run's start. */
  markFailing(appId: string, endpointId: string, at: string): Promise<string>;
  /** Ends the run of failures (no-op when there is none). */
  markHealthy(appId: string, endpointId: string, at: string): Promise<void>;
  /**
   * Disables the endpoint (disabled = true) if it is enabled and, when `failingSince` is given, its run
   * of failures still began then; ends the run. Returns true if this call disabled it.
   */
  disable(appId: string, endpointId: string, failingSince: string | null, at: string): Promise<boolean>;
}

export interface EndpointHealthTracker {
  /** A successful attempt. */
  succeeded(appId: string, endpointId: string): Promise<void>;
  /**
   * A failed attempt; returns `{ disabled: true, failSince }` when this failure disabled the endpoint
   * (the caller emits endpoint.disabled).
   */
  failed(appId: string, endpointId: string): Promise<{ disabled: false } | { disabled: true; failSince: string }>;
  /** 410 Gone: disables at once; true if this call disabled it. */
  gone(appId: string, endpointId: string): Promise<boolean>;
}

interface Seen {
  failingSince: string | null;
  until: number;
}

/** The cache never outlives a hundredth of the disable window, so short windows (tests) stay exact. */
export function healthCacheMs(disableAfterMs: number): number {
  return Math.max(0, Math.min(60_000, Math.floor(disableAfterMs / 100)));
}

export function createEndpointHealthTracker(options: {
  store: EndpointHealthStore;
  disableAfterMs: number;
  now: () => Date;
  cacheMs?: number;
}): EndpointHealthTracker {
  const { store, disableAfterMs, now } = options;
  const cacheMs = options.cacheMs ?? healthCacheMs(disableAfterMs);
  const seen = new Map<string, Seen>();
  /** Reads in flight: the tasks of one batch for one endpoint share a read instead of making one each. */
  const reading = new Map<string, Promise<string | null>>();
  const keyOf = (appId: string, endpointId: string): string => `${appId}/${endpointId}`;

  function remember(key: string, failingSince: string | null): void {
    if (cacheMs > 0) seen.set(key, { failingSince, until: now().getTime() + cacheMs });
  }

  async function current(appId: string, endpointId: string): Promise<string | null> {
    const key = keyOf(appId, endpointId);
    const hit = seen.get(key);
    if (hit !== undefined && hit.until > now().getTime()) return hit.failingSince;
    let read = reading.get(key);
    if (read === undefined) {
      read = store.failingSince(appId, endpointId).finally(() => reading.delete(key));
      reading.set(key, read);
      remember(key, await read);
      return read;
    }
    return read;
  }

  return {
    async succeeded(appId, endpointId) {
      if ((await current(appId, endpointId)) === null) return;
      await store.markHealthy(appId, endpointId, now().toISOString());
      remember(keyOf(appId, endpointId), null);
    },

    async failed(appId, endpointId) {
      const key = keyOf(appId, endpointId);
      let since = await current(appId, endpointId);
      if (since === null) {
        since = await store.markFailing(appId, endpointId, now().toISOString());
        remember(key, since);
      }
      if (now().getTime() - Date.parse(since) < disableAfterMs) return { disabled: false };
      const disabled = await store.disable(appId, endpointId, since, now().toISOString());
      seen.delete(key);
      return disabled ? { disabled: true, failSince: since } : { disabled: false };
    },

    async gone(appId, endpointId) {
      const disabled = await store.disable(appId, endpointId, null, now().toISOString());
      seen.delete(keyOf(appId, endpointId));
      return disabled;
    },
  };
}
