/**
 * The retry policy's edges that issue 3 adds or pins down: the 12 h cap counted from the RECEIVE,
 * a configurable overload floor (compressed test schedules), Retry-After as seconds or an HTTP date,
 * and connection/DNS failures retried like a 5xx.
 */
import { parseRetryAfter } from '../../functions/adapters/http/webhook-sender.ts';
import { MAX_RETRY_DELAY_SECONDS, SQS_MAX_VISIBILITY_SECONDS, nextRetryDelaySeconds, type RetryInput } from '../../functions/core/delivery/retry-policy.ts';
import { DELIVERY, QUEUES } from '../../functions/shared/names.ts';

const delay = (input: Partial<RetryInput> & Pick<RetryInput, 'attemptNumber'>): number | null =>
  nextRetryDelaySeconds({ schedule: [...DELIVERY.defaultRetryScheduleSeconds], outcome: { kind: 'http-error', statusCode: 500 }, random: () => 0.5, ...input });

test('the longest delay leaves one consumer timeout below 12 h (SQS counts from the receive)', () => {
  expect(MAX_RETRY_DELAY_SECONDS).toBe(SQS_MAX_VISIBILITY_SECONDS - QUEUES.delivery.consumerTimeoutSeconds);
  expect(delay({ attemptNumber: 6, random: () => 0.999 })).toBe(MAX_RETRY_DELAY_SECONDS);
  expect(delay({ attemptNumber: 7, retryAfterSeconds: 80_000 })).toBe(MAX_RETRY_DELAY_SECONDS);
});

test('the overload floor is 60 s by default and can be compressed for tests', () => {
  expect(delay({ attemptNumber: 1, outcome: { kind: 'timeout' } })).toBe(60);
  expect(delay({ attemptNumber: 1, outcome: { kind: 'timeout' }, minDelayAfterOverloadSeconds: 1 })).toBe(5);
  expect(delay({ attemptNumber: 1, schedule: [0], outcome: { kind: 'http-error', statusCode: 429 }, minDelayAfterOverloadSeconds: 1 })).toBe(1);
});

test('connection and DNS failures are retried on the schedule like a 5xx', () => {
  expect(delay({ attemptNumber: 1, outcome: { kind: 'network-error' } })).toBe(delay({ attemptNumber: 1 }));
  expect(delay({ attemptNumber: 3, outcome: { kind: 'network-error' } })).toBe(1800);
  expect(delay({ attemptNumber: 8, outcome: { kind: 'network-error' } })).toBeNull();
});

test('Retry-After: delta seconds or an HTTP date, clamped to [delay, 2 × delay]', () => {
  const now = Date.parse('2026-11-30T00:00:00Z');
  expect(parseRetryAfter('120', now)).toBe(120);
  expect(parseRetryAfter('Mon, 30 Nov 2026 00:07:30 GMT', now)).toBe(450);
  expect(parseRetryAfter('Mon, 29 Nov 2026 00:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(delay({ attemptNumber: 2, retryAfterSeconds: parseRetryAfter('Mon, 30 Nov 2026 00:07:30 GMT', now) })).toBe(450);
  expect(delay({ attemptNumber: 2, retryAfterSeconds: parseRetryAfter('Mon, 30 Nov 2026 02:00:00 GMT', now) })).toBe(600);
  expect(delay({ attemptNumber: 2, retryAfterSeconds: parseRetryAfter('1', now) })).toBe(300);
});
