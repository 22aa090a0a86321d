/**
 * Edges of small pure domain functions that the scenario tests pass over (found by mutation testing,
 * reports/mutation/README.md): which headers an endpoint may not set, the instant a rotated-out secret
 * stops signing, the exact page query, routing with absent filters, id ordering across slots, and the
 * retry policy's handling of odd inputs.
 */
import { randomBytes } from 'node:crypto';
import { nextRetryDelaySeconds, isEndpointGone } from '../../functions/core/delivery/retry-policy.ts';
import { endpointMatches, hasPayloadFilter } from '../../functions/core/fanout/routing.ts';
import { boundaryId, idTime, isId, lastIdBefore, newId } from '../../functions/core/ids.ts';
import { planPage } from '../../functions/core/pagination.ts';
import { activeSecrets, RESERVED_HEADERS, webhookHeaders } from '../../functions/core/signing/webhook-headers.ts';

const secret = `whsec_${randomBytes(24).toString('base64')}`;

describe('endpoint headers', () => {
  const reserved = [
    'Webhook-Id',
    'Webhook-Timestamp',
    'Webhook-Signature',
    'Svix-Id',
    'Svix-Timestamp',
    'Svix-Signature',
    'Content-Type',
    'User-Agent',
    'Host',
    'Content-Length',
    'Transfer-Encoding',
    'Connection',
    'Keep-Alive',
    'Upgrade',
    'Expect',
    'TE',
    'Trailer',
    'Proxy-Connection',
  ];

  test('an endpoint may not set ours or the connection\'s, in any spelling', () => {
    expect([...RESERVED_HEADERS].sort()).toEqual(reserved.map((h) => h.toLowerCase()).sort());
    const now = new Date();
    const headers = webhookHeaders({
      msgId: 'msg_1',
      timestampSeconds: 1,
      body: '{}',
      secrets: [{ key: secret, expiresAt: null }],
      endpointHeaders: { ...Object.fromEntries(reserved.map((h) => [h, 'evil'])), 'X-Tenant': 'acme' },
      now,
    });
    expect(Object.keys(headers).filter((k) => k !== k.toLowerCase())).toEqual(['X-Tenant']);
    expect(Object.values(headers)).not.toContain('evil');
  });

  test('of two spellings of one custom header, the first wins', () => {
    const headers = webhookHeaders({ msgId: 'm', timestampSeconds: 1, body: '{}', secrets: [], endpointHeaders: { 'X-A': '1', 'x-a': '2' }, now: new Date() });
    expect(headers['X-A']).toBe('1');
    expect(headers['x-a']).toBeUndefined();
  });
});

test('a rotated-out secret signs until the instant it expires, not at it', () => {
  const now = new Date('2026-12-01T00:00:00.000Z');
  const current = { key: 'whsec_Y3VycmVudA==', expiresAt: null };
  const justBefore = { key: 'whsec_YmVmb3Jl', expiresAt: new Date(now.getTime() + 1).toISOString() };
  const atNow = { key: 'whsec_YXRub3c=', expiresAt: now.toISOString() };
  expect(activeSecrets([atNow, justBefore, current], now)).toEqual([current, justBefore]);
});

describe('planPage, exactly (toStrictEqual: a key set to undefined is a difference)', () => {
  test('the first page: no cursor, no bounds, the order asked for', () => {
    expect(planPage({ limit: 10, order: 'ascending' })).toStrictEqual({ query: { limit: 10, order: 'ascending' }, backwards: false });
    expect(planPage({ limit: 10, order: 'descending', iterator: '' })).toStrictEqual({ query: { limit: 10, order: 'descending' }, backwards: false });
  });

  test('`after` alone reads forward in time only on a newest-first list', () => {
    expect(planPage({ limit: 5, order: 'descending', lower: 'a' })).toStrictEqual({ query: { limit: 5, order: 'ascending', lower: 'a' }, backwards: true });
    expect(planPage({ limit: 5, order: 'ascending', lower: 'a' })).toStrictEqual({ query: { limit: 5, order: 'ascending', lower: 'a' }, backwards: false });
  });

  test('a "-" iterator reads the other way from its key, in both orders', () => {
    expect(planPage({ limit: 5, order: 'ascending', iterator: '-k' })).toStrictEqual({ query: { limit: 5, order: 'descending', from: 'k' }, backwards: true });
    expect(planPage({ limit: 5, order: 'descending', iterator: '-k' })).toStrictEqual({ query: { limit: 5, order: 'ascending', from: 'k' }, backwards: true });
  });

  test('bounds are passed on only when given', () => {
    expect(planPage({ limit: 5, order: 'ascending', lower: 'a', upper: 'z' })).toStrictEqual({ query: { limit: 5, order: 'ascending', lower: 'a', upper: 'z' }, backwards: false });
    expect(planPage({ limit: 5, order: 'descending', upper: 'z' }).query).toStrictEqual({ limit: 5, order: 'descending', upper: 'z' });
  });
});

describe('routing with filters absent rather than empty', () => {
  const message = { eventType: 'a.b', channels: ['c1'] };
  test.each([
    [{ disabled: false, eventTypes: undefined, channels: undefined }, true],
    [{ disabled: false, eventTypes: null, channels: null }, true],
    [{ disabled: false, eventTypes: [], channels: [] }, true],
    [{ disabled: false, eventTypes: ['x.y'], channels: undefined }, false],
    [{ disabled: false, eventTypes: undefined, channels: ['c2'] }, false],
    [{ disabled: false, eventTypes: undefined, channels: ['c1'] }, true],
  ])('%j → %s', (endpoint, expected) => {
    expect(endpointMatches(endpoint as never, message)).toBe(expected);
  });

  test('a payload filter counts only when there is one', () => {
    const plain = { disabled: false, eventTypes: null, channels: null };
    expect(hasPayloadFilter(plain)).toBe(false);
    expect(hasPayloadFilter({ ...plain, filter: null })).toBe(false);
    expect(hasPayloadFilter({ ...plain, filter: undefined })).toBe(false);
    expect(hasPayloadFilter({ ...plain, filter: {} as never })).toBe(true);
  });

  test('a message without channels reaches only endpoints without a channel filter', () => {
    expect(endpointMatches({ disabled: false, eventTypes: null, channels: ['c1'] }, { eventType: 'a.b', channels: null })).toBe(false);
    expect(endpointMatches({ disabled: false, eventTypes: null, channels: null }, { eventType: 'a.b', channels: null })).toBe(true);
  });
});

describe('ids', () => {
  test('an id for an earlier time, made after a later one, keeps its own time (backfills)', () => {
    const later = new Date('2026-12-01T00:00:10.000Z');
    const earlier = new Date('2026-12-01T00:00:05.000Z');
    newId('attempt', later);
    expect(idTime(newId('attempt', earlier)).getTime()).toBe(earlier.getTime());
  });

  test('the last id before a slot borrows across every byte (a time whose KSUID bytes are all zero but the first)', () => {
    // 1,400,000,000 (the KSUID epoch) + 3 × 2^24 s, at .000: bytes [3, 0, 0, …, 0].
    const time = new Date((1_400_000_000 + 3 * 2 ** 24) * 1000);
    const before = lastIdBefore('message', time);
    expect(before < boundaryId('message', time, 'start')).toBe(true);
    expect(before).toBe(boundaryId('message', new Date(time.getTime() - 1), 'end'));
  });

  test('isId wants exactly 27 base62 characters after the prefix', () => {
    const id = newId('endpoint');
    expect(isId('endpoint', id)).toBe(true);
    expect(isId('endpoint', `${id}x`)).toBe(false);
    expect(isId('endpoint', `ep_x${id.slice(3)}`)).toBe(false);
    expect(isId('endpoint', `x${id}`)).toBe(false);
  });
});

describe('retry policy odd inputs', () => {
  const base = { schedule: [10, 20], random: () => 0.5 };
  test('only 410 is "gone"; 429 is overload only as an HTTP status', () => {
    expect(isEndpointGone({ kind: 'http-error', statusCode: 410 })).toBe(true);
    expect(isEndpointGone({ kind: 'http-error', statusCode: 404 })).toBe(false);
    expect(isEndpointGone({ kind: 'timeout' })).toBe(false);
    expect(isEndpointGone({ kind: 'network-error' })).toBe(false);
    expect(nextRetryDelaySeconds({ ...base, attemptNumber: 1, outcome: { kind: 'network-error' } })).toBe(10);
    expect(nextRetryDelaySeconds({ ...base, attemptNumber: 1, outcome: { kind: 'http-error', statusCode: 503 } })).toBe(10);
  });

  test('an attempt number below 1 never retries', () => {
    expect(nextRetryDelaySeconds({ ...base, attemptNumber: 0, outcome: { kind: 'http-error', statusCode: 500 } })).toBeNull();
  });

  test('a Retry-After that is not a finite number is ignored', () => {
    for (const retryAfterSeconds of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(nextRetryDelaySeconds({ ...base, attemptNumber: 1, outcome: { kind: 'http-error', statusCode: 503 }, retryAfterSeconds })).toBe(10);
    }
  });
});
