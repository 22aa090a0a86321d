/**
 * Tenant isolation: which delivery lane a task belongs in. Deliveries run in two lanes, each its own
 * queue and consumers: the fast lane, where every endpoint starts, and the slow lane, with capped
 * concurrency, for endpoints that hang or answer slowly. A hanging endpoint therefore spends the slow
 * lane's capacity, never the fast lane's that every healthy endpoint shares.
 *
 * An endpoint is slow when one of its attempts has been in flight for `slowAfterMs` (it is judged
 * while the attempt is still waiting, so a burst is diverted long before the 15 s timeout), or ended
 * after that long. A worker that learns it marks the endpoint (EndpointLaneStore, persisted on the
 * endpoint as `slowUntil`), so fan-out routes its next messages straight to the slow lane and other
 * workers divert it too; an attempt that answers quickly again clears the mark, and a mark lapses
 * after `slowForMs` (the endpoint then gets another chance in the fast lane).
 *
 * Before anything is known about an endpoint (this worker has not seen it answer quickly lately), its
 * first attempt is a probe: while the probe is in flight, the endpoint's other tasks move to the slow
 * lane (nothing waits: a waiting task would hold its batch). So a new hanging endpoint holds one
 * attempt per worker, however many of its tasks arrive at once, and a new healthy one sends a burst's
 * first task here and the rest through the slow lane until its probe answers (milliseconds). A
 * proven endpoint may have `maxInFlightPerEndpoint` attempts in flight per worker; the excess moves
 * to the slow lane. Retries, attempt numbers and the throttle are untouched: a diverted task is the
 * same task on another queue, numbered from the attempt log as always.
 *
 * This module keeps the per-worker picture (pure, no I/O besides the store it is given).
 */
import type { Endpoint } from '../model.ts';

export interface LaneSettings {
  /** An attempt in flight (or taking) this long makes its endpoint slow. */
  slowAfterMs: number;
  /** How long a slow mark holds before the endpoint is tried in the fast lane again. */
  slowForMs: number;
  /** Attempts one worker may have in flight to one endpoint in the fast lane. */
  maxInFlightPerEndpoint: number;
}

export const DEFAULT_LANE_SETTINGS: LaneSettings = {
  slowAfterMs: 2_000,
  slowForMs: 10 * 60_000,
  maxInFlightPerEndpoint: 8,
};

/** Where a worker records that an endpoint is slow (null: it is not). */
export interface EndpointLaneStore {
  setSlowUntil(appId: string, endpointId: string, until: string | null): Promise<void>;
}

export type LaneEndpoint = Pick<Endpoint, 'appId' | 'id'> & { slowUntil?: string | null | undefined };

export type DivertReason = 'marked-slow' | 'attempt-in-flight-too-long' | 'too-many-in-flight';

/** What the delivery of one task needs from the lanes. */
export interface EndpointLanes {
  /** For a fast-lane task: the reason to move it to the slow lane, or undefined to deliver it here. */
  divert(endpoint: LaneEndpoint): Promise<DivertReason | undefined>;
  /** Call when an attempt starts; call the result with its duration when it ends. */
  track(endpoint: LaneEndpoint): (ended: { durationMs: number; timedOut: boolean }) => Promise<void>;
}

interface EndpointState {
  /** Start times (ms) of this worker's attempts in flight. */
  inFlight: Set<{ startedMs: number }>;
  /** When this worker last saw the endpoint answer quickly (0: never): it is proven until +slowForMs. */
  lastQuickMs: number;
  /** This worker's own view of the mark (epoch ms), whatever the endpoint item said when read. */
  slowUntilMs: number;
  /** A write of the mark is on its way: one at a time. */
  writing: boolean;
}

export interface EndpointLanesOptions {
  settings?: Partial<LaneSettings>;
  store?: EndpointLaneStore | undefined;
  now?: () => number;
  /** Errors of the store are logged, never thrown: a lost mark costs capacity, not webhooks. */
  onStoreError?: (error: unknown) => void;
}

/** Endpoints this worker keeps state for; beyond this, idle ones are forgotten. */
const MAX_TRACKED_ENDPOINTS = 10_000;

export function createEndpointLanes(options: EndpointLanesOptions = {}): EndpointLanes {
  const settings = { ...DEFAULT_LANE_SETTINGS, ...options.settings };
  const now = options.now ?? Date.now;
  const states = new Map<string, EndpointState>();
  const keyOf = (endpoint: LaneEndpoint): string => `${endpoint.appId}/${endpoint.id}`;

  const stateOf = (endpoint: LaneEndpoint): EndpointState => {
    const key = keyOf(endpoint);
    let state = states.get(key);
    if (state === undefined) {
      if (states.size >= MAX_TRACKED_ENDPOINTS) forgetIdle();
      state = { inFlight: new Set(), lastQuickMs: 0, slowUntilMs: 0, writing: false };
      states.set(key, state);
    }
    return state;
  };

  const forgetIdle = (): void => {
    const t = now();
    for (const [key, state] of states) {
      if (state.inFlight.size === 0 && state.slowUntilMs <= t && t - state.lastQuickMs > settings.slowForMs) states.delete(key);
    }
  };

  const persistedUntilMs = (endpoint: LaneEndpoint): number => {
    const parsed = endpoint.slowUntil ? Date.parse(endpoint.slowUntil) : NaN;
    return Number.isNaN(parsed) ? 0 : parsed;
  };

  /** Writes the mark (or its removal) once per change; concurrent changes of one endpoint write once. */
  const persist = async (endpoint: LaneEndpoint, state: EndpointState, untilMs: number | null): Promise<void> => {
    if (options.store === undefined || state.writing) return;
    state.writing = true;
    try {
      await options.store.setSlowUntil(endpoint.appId, endpoint.id, untilMs === null ? null : new Date(untilMs).toISOString());
    } catch (error) {
      options.onStoreError?.(error);
    } finally {
      state.writing = false;
    }
  };

  const markSlow = async (endpoint: LaneEndpoint, state: EndpointState): Promise<void> => {
    const t = now();
    // A mark that still has more than half its time left is not worth a write.
    const known = Math.max(state.slowUntilMs, persistedUntilMs(endpoint));
    state.slowUntilMs = t + settings.slowForMs;
    if (known - t > settings.slowForMs / 2) return;
    await persist(endpoint, state, state.slowUntilMs);
  };

  return {
    async divert(endpoint) {
      const state = stateOf(endpoint);
      const t = now();
      if (Math.max(state.slowUntilMs, persistedUntilMs(endpoint)) > t) return 'marked-slow';
      for (const attempt of state.inFlight) {
        if (t - attempt.startedMs >= settings.slowAfterMs) {
          await markSlow(endpoint, state);
          return 'attempt-in-flight-too-long';
        }
      }
      const proven = state.lastQuickMs > 0 && t - state.lastQuickMs < settings.slowForMs;
      // Unproven: one probe at a time; proven: up to the cap.
      return state.inFlight.size >= (proven ? settings.maxInFlightPerEndpoint : 1) ? 'too-many-in-flight' : undefined;
    },

    track(endpoint) {
      const state = stateOf(endpoint);
      const attempt = { startedMs: now() };
      state.inFlight.add(attempt);
      return async ({ durationMs, timedOut }) => {
        state.inFlight.delete(attempt);
        const slow = timedOut || durationMs >= settings.slowAfterMs;
        if (!slow) state.lastQuickMs = now();
        if (slow) return markSlow(endpoint, state);
        // Answered quickly: whatever the mark says, the endpoint is responsive again.
        const wasMarked = state.slowUntilMs > now() || persistedUntilMs(endpoint) > now();
        state.slowUntilMs = 0;
        if (wasMarked) await persist(endpoint, state, null);
      };
    },
  };
}
