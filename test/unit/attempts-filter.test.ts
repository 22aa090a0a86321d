import { matchesAttemptFilter, pageById, type FilterableAttempt } from '../../functions/core/attempts/attempt-filter.ts';

const a = (id: string, extra: Partial<FilterableAttempt> = {}): FilterableAttempt => ({
  id,
  endpointId: 'ep_1',
  status: 0,
  responseStatusCode: 200,
  eventType: 'invoice.paid',
  channels: ['c1'],
  tags: null,
  ...extra,
});

describe('matchesAttemptFilter', () => {
  test.each([
    [{}, a('1'), true],
    [{ status: 2 }, a('1'), false],
    [{ status: 2 }, a('1', { status: 2 }), true],
    [{ statusCodeClass: 2 }, a('1'), true],
    [{ statusCodeClass: 2 }, a('1', { responseStatusCode: 300 }), false],
    [{ statusCodeClass: 5 }, a('1', { responseStatusCode: 599 }), true],
    [{ statusCodeClass: 0 }, a('1', { responseStatusCode: 0 }), true],
    [{ statusCodeClass: 0 }, a('1'), false],
    [{ endpointId: 'ep_2' }, a('1'), false],
    [{ eventTypes: ['invoice.paid', 'x'] }, a('1'), true],
    [{ eventTypes: ['x'] }, a('1'), false],
    [{ channel: 'c1' }, a('1'), true],
    [{ channel: 'c2' }, a('1'), false],
    [{ tag: 't' }, a('1'), false],
    [{ tag: 't' }, a('1', { tags: ['t'] }), true],
  ])('%j on %j → %s', (filter, attempt, expected) => {
    expect(matchesAttemptFilter(filter, attempt)).toBe(expected);
  });
});

describe('pageById', () => {
  const items = ['c', 'a', 'e', 'b', 'd'].map((id) => ({ id }));
  const ids = (s: { items: { id: string }[] }) => s.items.map((i) => i.id);

  test('orders both ways and reports more exactly', () => {
    expect(pageById(items, { limit: 2, order: 'descending' })).toEqual({ items: [{ id: 'e' }, { id: 'd' }], more: true });
    expect(pageById(items, { limit: 5, order: 'ascending' }).more).toBe(false);
  });

  test('from is exclusive in the direction of the order; lower and upper are inclusive', () => {
    expect(ids(pageById(items, { limit: 10, order: 'descending', from: 'c' }))).toEqual(['b', 'a']);
    expect(ids(pageById(items, { limit: 10, order: 'ascending', from: 'c' }))).toEqual(['d', 'e']);
    expect(ids(pageById(items, { limit: 10, order: 'ascending', lower: 'b', upper: 'd' }))).toEqual(['b', 'c', 'd']);
  });
});
