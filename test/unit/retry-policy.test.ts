import {
  MAX_RETRY_DELAY_SECONDS,
  isEndpointGone,
  nextRetryDelaySeconds,
  type AttemptOutcome,
  type RetryInput,
} from '../../functions/core/delivery/retry-policy.ts';
import { DELIVERY } from '../../functions/shared/names.ts';

const svix = [...DELIVERY.defaultRetryScheduleSeconds];
const middle = (): number => 0.5; // no jitter: factor 1.0
const lowest = (): number => 0; // factor 0.8
const highest = (): number => 0.999999; // factor just under 1.2
const http = (statusCode: number): AttemptOutcome => ({ kind: 'http-error', statusCode });

const delay = (input: Partial<RetryInput> & Pick<RetryInput, 'attemptNumber'>): number | null =>
  nextRetryDelaySeconds({ schedule: svix, outcome: http(500), random: middle, ...input });

describe('nextRetryDelaySeconds', () => {
  it("follows Svix's schedule without jitter at random 0.5", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attemptNumber) => delay({ attemptNumber }));
    expect(delays).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });

  it('is exhausted after the last scheduled attempt (8 attempts in all)', () => {
    expect(delay({ attemptNumber: 8 })).toBeNull();
    expect(delay({ attemptNumber: 25 })).toBeNull();
  });

  it('does not retry an attempt number below 1', () => {
    expect(delay({ attemptNumber: 0 })).toBeNull();
  });

  it('uses the configured schedule', () => {
    expect(delay({ attemptNumber: 1, schedule: [1, 2] })).toBe(1);
    expect(delay({ attemptNumber: 2, schedule: [1, 2] })).toBe(2);
    expect(delay({ attemptNumber: 3, schedule: [1, 2] })).toBeNull();
    expect(delay({ attemptNumber: 1, schedule: [] })).toBeNull();
  });

  it('jitters by ±20 %', () => {
    expect(delay({ attemptNumber: 2, random: lowest })).toBe(240);
    expect(delay({ attemptNumber: 2, random: highest })).toBe(360);
    expect(delay({ attemptNumber: 3, random: () => 0.25 })).toBe(1620);
  });

  it('never retries a success', () => {
    expect(delay({ attemptNumber: 1, outcome: { kind: 'success' } })).toBeNull();
  });

  it('does not retry 410 Gone and flags the endpoint', () => {
    expect(delay({ attemptNumber: 1, outcome: http(410) })).toBeNull();
    expect(isEndpointGone(http(410))).toBe(true);
    expect(isEndpointGone(http(404))).toBe(false);
    expect(isEndpointGone({ kind: 'timeout' })).toBe(false);
    expect(isEndpointGone({ kind: 'success' })).toBe(false);
  });

  it('retries other 4xx, 3xx, 5xx and network errors on the schedule', () => {
    for (const outcome of [http(400), http(404), http(301), http(503), { kind: 'network-error' } as const]) {
      expect(delay({ attemptNumber: 1, outcome })).toBe(5);
    }
  });

  it('waits at least 60 s after a timeout or a 429', () => {
    expect(delay({ attemptNumber: 1, outcome: { kind: 'timeout' } })).toBe(60);
    expect(delay({ attemptNumber: 1, outcome: http(429) })).toBe(60);
    expect(delay({ attemptNumber: 2, outcome: { kind: 'timeout' } })).toBe(300);
    expect(delay({ attemptNumber: 2, outcome: http(429), random: lowest })).toBe(240);
  });

  it('honours Retry-After within [delay, 2×delay]', () => {
    expect(delay({ attemptNumber: 2, retryAfterSeconds: 450 })).toBe(450);
    expect(delay({ attemptNumber: 2, retryAfterSeconds: 10 })).toBe(300);
    expect(delay({ attemptNumber: 2, retryAfterSeconds: 100_000 })).toBe(600);
    expect(delay({ attemptNumber: 2, retryAfterSeconds: 0 })).toBe(300);
    expect(delay({ attemptNumber: 2, retryAfterSeconds: Number.NaN })).toBe(300);
  });

  it('applies the 60 s floor before clamping Retry-After (429 with Retry-After)', () => {
    expect(delay({ attemptNumber: 1, outcome: http(429), retryAfterSeconds: 90 })).toBe(90);
    expect(delay({ attemptNumber: 1, outcome: http(429), retryAfterSeconds: 1000 })).toBe(120);
    expect(delay({ attemptNumber: 1, outcome: http(429), retryAfterSeconds: 1 })).toBe(60);
  });

  it('caps every delay at 12 h, the SQS maximum', () => {
    expect(delay({ attemptNumber: 6, random: highest })).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(delay({ attemptNumber: 7, retryAfterSeconds: 70_000 })).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(delay({ attemptNumber: 1, schedule: [43_200], random: highest })).toBe(MAX_RETRY_DELAY_SECONDS);
  });

  it('returns whole seconds', () => {
    for (let i = 0; i < 50; i++) {
      const random = (): number => i / 50;
      const d = delay({ attemptNumber: 1, random });
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(4);
      expect(d).toBeLessThanOrEqual(6);
    }
  });

  it('handles a zero delay in the schedule (immediate retry)', () => {
    expect(delay({ attemptNumber: 1, schedule: [0] })).toBe(0);
    expect(delay({ attemptNumber: 1, schedule: [0], outcome: { kind: 'timeout' } })).toBe(60);
  });
});
