/** The pure parts of the delivery views: states, headers merge/redaction, schema examples, id bounds, after-only paging. */
import { destinationState, endpointMessageState, isLatestAttempt } from '../../functions/core/attempts/delivery-state.ts';
import { headersView, mergeHeaders } from '../../functions/core/endpoints/headers.ts';
import { schemaExample } from '../../functions/core/messages/send-example.ts';
import { boundaryId, lastIdBefore, newId } from '../../functions/core/ids.ts';
import { planPage } from '../../functions/core/pagination.ts';
import type { DeliveryStatus, MessageAttempt } from '../../functions/core/model.ts';

const attempt = (status: 0 | 2, timestamp = '2026-01-01T00:00:01.000Z'): MessageAttempt =>
  ({ id: 'atmpt_x', status, timestamp }) as MessageAttempt;
const dest = (status: 0 | 1 | 2, nextAttemptAt: string | null, lastAttemptAt: string | null = '2026-01-01T00:00:01.000Z'): DeliveryStatus =>
  ({ appId: 'a', msgId: 'm', endpointId: 'e', status, attempts: 1, lastAttemptAt, nextAttemptAt });

describe('delivery state', () => {
  it('a first success (no status item) is success, no next attempt', () => {
    expect(endpointMessageState(attempt(0), undefined)).toEqual({ status: 0, nextAttempt: null });
    expect(destinationState(attempt(0), undefined)).toEqual({ status: 0, nextAttempt: null });
  });
  it('a scheduled retry is sending for the message list, the failed attempt for destinations', () => {
    const status = dest(1, '2026-01-01T00:05:00.000Z');
    expect(endpointMessageState(attempt(2), status)).toEqual({ status: 3, nextAttempt: '2026-01-01T00:05:00.000Z' });
    expect(destinationState(attempt(2), status)).toEqual({ status: 2, nextAttempt: '2026-01-01T00:05:00.000Z' });
  });
  it('the status item wins over the attempt (a success after failures; a final failure)', () => {
    expect(endpointMessageState(attempt(2), dest(0, null))).toEqual({ status: 0, nextAttempt: null });
    expect(destinationState(attempt(0), dest(2, null))).toEqual({ status: 2, nextAttempt: null });
  });
  it('an attempt older than the status last attempt is not the latest', () => {
    expect(isLatestAttempt(attempt(2, '2026-01-01T00:00:00.500Z'), dest(2, null))).toBe(false);
    expect(isLatestAttempt(attempt(2), dest(2, null))).toBe(true);
    expect(isLatestAttempt(attempt(2), undefined)).toBe(true);
  });
});

describe('endpoint headers', () => {
  it('hides sensitive names whatever their case', () => {
    expect(headersView({ 'X-A': '1', Authorization: 's', 'x-api-key': 'k' })).toEqual({ headers: { 'X-A': '1' }, sensitive: ['Authorization', 'x-api-key'] });
  });
  it('merges: null and deleteHeaders remove, a name replaces any spelling of it', () => {
    expect(mergeHeaders({ 'X-A': '1', 'x-b': '2', 'x-c': '3' }, { 'x-a': '9', 'X-B': null }, ['X-C'])).toEqual({ 'x-a': '9' });
  });
});

describe('schema examples', () => {
  const schemas = { '1': { type: 'object', examples: [{ a: 1 }, 'not an object', { b: 2 }] } };
  it('picks the example at the index, objects only', () => {
    expect(schemaExample(schemas, 0)).toEqual({ a: 1 });
    expect(schemaExample(schemas, 2)).toEqual({ b: 2 });
    expect(schemaExample(schemas, 1)).toBeUndefined();
    expect(schemaExample(schemas, 3)).toBeUndefined();
    expect(schemaExample(null, 0)).toBeUndefined();
    expect(schemaExample({ '2': { examples: [{}] } }, 0)).toBeUndefined();
  });
});

describe('before/after bounds', () => {
  it('lastIdBefore excludes every id of the same time slot and keeps the slot before', () => {
    const at = new Date('2026-06-01T12:00:00.123Z');
    const id = newId('attempt', at);
    expect(id > lastIdBefore('attempt', at)).toBe(true);
    expect(boundaryId('attempt', at, 'start') > lastIdBefore('attempt', at)).toBe(true);
    const earlier = newId('attempt', new Date(at.getTime() - 5));
    expect(earlier <= lastIdBefore('attempt', at)).toBe(true);
  });
  it('after alone on a newest-first list reads forward from after (as Svix)', () => {
    expect(planPage({ limit: 2, order: 'descending', lower: 'k1' })).toEqual({ query: { limit: 2, order: 'ascending', lower: 'k1' }, backwards: true });
    expect(planPage({ limit: 2, order: 'descending', lower: 'k1', upper: 'k9' }).backwards).toBe(false);
    expect(planPage({ limit: 2, order: 'descending', lower: 'k1', iterator: 'k5' }).backwards).toBe(false);
  });
});

describe('retry schedule setting', () => {
  const base = { SLUICE_FANOUT_QUEUE_URL: 'http://q/f', SLUICE_DELIVERY_QUEUE_URL: 'http://q/d', SLUICE_ADMIN_TOKEN: 'sluice_admin_0123456789abcdef' };
  it('set but empty means one attempt and no retry; unset means the default schedule', async () => {
    const { loadConfig } = await import('../../functions/shared/config.ts');
    expect(loadConfig({ ...base, SLUICE_RETRY_SCHEDULE: '' }).retryScheduleSeconds).toEqual([]);
    expect(loadConfig(base).retryScheduleSeconds.length).toBeGreaterThan(0);
  });
});
