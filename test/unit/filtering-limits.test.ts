/**
 * Payload filters at validation: problems located inside the filter, and hostile filters (huge, deep,
 * too many conditions or $or branches) refused within a bounded number of steps, whatever their size;
 * at evaluation: cost linear in filter and payload, wildcards included (steps counted, never timed).
 */
import { matchesFilter, validateFilter, type FilterableMessage } from '../../functions/core/filtering/filter.ts';
import { FILTER_LIMITS } from '../../functions/core/filtering/limits.ts';
import { newMeter } from '../../functions/core/filtering/meter.ts';
import { matchesWildcard, parseWildcard, type WildcardPattern } from '../../functions/core/filtering/wildcard.ts';

const message = (payload: Record<string, unknown>): FilterableMessage => ({ eventType: 'e', channels: null, tags: null, payload });
const locs = (filter: unknown) => validateFilter(filter).map((issue) => issue.loc);

describe('validation locates each problem inside the filter', () => {
  test.each([
    ['an unknown operator', { payload: { a: [{ regex: '.*' }] } }, ['payload', 'a', 0, 'regex']],
    ['a numeric bound that is not a number', { payload: { amount: [{ numeric: ['>', 'x'] }] } }, ['payload', 'amount', 0, 'numeric', 1]],
    ['a numeric operator that does not exist', { payload: { amount: [{ numeric: ['!=', 1] }] } }, ['payload', 'amount', 0, 'numeric', 0]],
    ['a range with two lower bounds', { payload: { amount: [{ numeric: ['>', 1, '>=', 2] }] } }, ['payload', 'amount', 0, 'numeric']],
    ['an empty range', { payload: { amount: [{ numeric: ['>', 5, '<', 1] }] } }, ['payload', 'amount', 0, 'numeric']],
    ['a numeric bound out of EventBridge\'s range', { payload: { amount: [{ numeric: ['<', 6e9] }] } }, ['payload', 'amount', 0, 'numeric', 1]],
    ['a bare value instead of an array', { payload: { state: 'on' } }, ['payload', 'state']],
    ['an empty value array', { payload: { state: [] } }, ['payload', 'state']],
    ['two operators in one object', { payload: { s: [{ prefix: 'a', suffix: 'b' }] } }, ['payload', 's', 0]],
    ['a mixed anything-but list', { payload: { s: [{ 'anything-but': ['a', 1] }] } }, ['payload', 's', 0, 'anything-but']],
    ['anything-but of an unknown operator', { payload: { s: [{ 'anything-but': { numeric: ['>', 1] } }] } }, ['payload', 's', 0, 'anything-but']],
    ['consecutive wildcards', { payload: { s: [{ wildcard: 'a**b' }] } }, ['payload', 's', 0, 'wildcard']],
    ['an escape other than \\* or \\\\', { payload: { s: [{ wildcard: 'a\\b' }] } }, ['payload', 's', 0, 'wildcard']],
    ['exists that is not a boolean', { payload: { s: [{ exists: 'yes' }] } }, ['payload', 's', 0, 'exists']],
    ['a malformed cidr', { payload: { ip: [{ cidr: '10.0.0.0/33' }] } }, ['payload', 'ip', 0, 'cidr']],
    ['$or with one branch', { payload: { $or: [{ a: [1] }] } }, ['payload', '$or']],
    ['an unknown message field', { body: { a: [1] } }, ['body']],
    ['payload given as a value array', { payload: ['x'] }, ['payload']],
    ['an empty field name', { payload: { '': ['x'] } }, ['payload', '']],
    ['an empty object', { payload: {} }, ['payload']],
    ['a number DynamoDB cannot store', { payload: { n: [1e200] } }, ['payload', 'n', 0]],
    ['a nested array as a value', { payload: { n: [[1]] } }, ['payload', 'n', 0]],
    ['an $or branch under the root naming an unknown field', { $or: [{ eventType: ['a'] }, { nope: ['b'] }] }, ['$or', 1, 'nope']],
  ])('%s', (_name, filter, loc) => {
    expect(locs(filter)).toEqual([loc]);
  });

  test('the filter itself must be a non-empty object', () => {
    expect(locs({})).toEqual([[]]);
    expect(locs([])).toEqual([[]]);
  });

  test('valid filters have no issues', () => {
    const filter = {
      eventType: ['invoice.paid', { prefix: 'order.' }],
      channels: [{ 'anything-but': ['internal'] }],
      payload: {
        amount: [{ numeric: ['>=', 0, '<', 1000] }],
        customer: { email: [{ suffix: { 'equals-ignore-case': '@example.com' } }], id: [{ exists: true }] },
        $or: [{ region: [{ wildcard: 'eu-*' }] }, { ip: [{ cidr: '10.0.0.0/8' }] }],
        flags: [true, null, 0, ''],
      },
    };
    expect(validateFilter(filter)).toEqual([]);
  });

  test('at most FILTER_LIMITS.issues problems are reported', () => {
    const payload = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, 'bad']));
    expect(validateFilter({ payload })).toHaveLength(FILTER_LIMITS.issues);
  });
});

/** Steps a filter of at most FILTER_LIMITS.serializedChars characters can take to validate: a node per character, at most. */
const VALIDATION_STEP_BOUND = 2 * FILTER_LIMITS.serializedChars;

function deepObject(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { leaf: ['x'] };
  for (let i = 0; i < levels; i++) node = { a: node };
  return node;
}

describe('hostile filters are refused within a bounded number of steps', () => {
  const refused = (filter: unknown) => {
    const meter = newMeter();
    const issues = validateFilter(filter, meter);
    return { issues: issues.map((i) => i.msg), steps: meter.steps };
  };

  test('huge: a million-character string, 100,000 fields, a 100,000-element array', () => {
    const cases = [
      { payload: { s: ['x'.repeat(1_000_000)] } },
      { payload: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, [i]])) },
      { payload: { s: Array.from({ length: 100_000 }, (_, i) => i) } },
    ];
    for (const filter of cases) {
      const { issues, steps } = refused(filter);
      expect(issues).toEqual([`a filter may be at most ${FILTER_LIMITS.serializedChars} characters of JSON`]);
      expect(steps).toBeLessThanOrEqual(VALIDATION_STEP_BOUND);
    }
  });

  test('deep: 100,000 levels (refused by size) and depth + 1 levels (refused by depth)', () => {
    const huge = refused({ payload: deepObject(100_000) });
    expect(huge.issues).toEqual([`a filter may be at most ${FILTER_LIMITS.serializedChars} characters of JSON`]);
    expect(huge.steps).toBeLessThanOrEqual(VALIDATION_STEP_BOUND);
    const justOver = refused({ payload: deepObject(FILTER_LIMITS.depth - 1) });
    expect(justOver.issues).toEqual([`a filter may nest at most ${FILTER_LIMITS.depth} objects deep`]);
    expect(justOver.steps).toBeLessThanOrEqual(VALIDATION_STEP_BOUND);
    expect(validateFilter({ payload: deepObject(FILTER_LIMITS.depth - 2) })).toEqual([]);
  });

  test('many $or branches, and nested $or', () => {
    const branches = Array.from({ length: FILTER_LIMITS.orBranches + 1 }, (_, i) => ({ [`f${i}`]: [i] }));
    const wide = refused({ payload: { $or: branches } });
    expect(wide.issues).toEqual([`a filter may hold at most ${FILTER_LIMITS.orBranches} $or branches`]);
    expect(wide.steps).toBeLessThanOrEqual(VALIDATION_STEP_BOUND);
    let nested: Record<string, unknown> = { x: [1] };
    for (let i = 0; i < 20; i++) nested = { $or: [nested, { y: [i] }] };
    expect(refused({ payload: nested }).issues).toEqual([`a filter may nest at most ${FILTER_LIMITS.depth} objects deep`]);
  });

  test('too many conditions', () => {
    const values = Array.from({ length: FILTER_LIMITS.conditions + 1 }, (_, i) => i);
    const { issues, steps } = refused({ payload: { n: values } });
    expect(issues).toEqual([`a filter may hold at most ${FILTER_LIMITS.conditions} conditions`]);
    expect(steps).toBeLessThanOrEqual(VALIDATION_STEP_BOUND);
    expect(validateFilter({ payload: { n: values.slice(1) } })).toEqual([]);
  });
});

describe('evaluation cost is linear', () => {
  const steps = (pattern: WildcardPattern, value: string): number => {
    const meter = newMeter();
    matchesWildcard(pattern, value, meter);
    return meter.steps;
  };

  test('wildcard: a pattern that makes backtracking matchers explode is one scan', () => {
    const text = '*a'.repeat(1000) + '*b'; // 2,001 characters, 1,001 stars
    const pattern = parseWildcard(text) as WildcardPattern;
    const value = 'a'.repeat(200_000);
    expect(matchesWildcard(pattern, value)).toBe(false);
    expect(steps(pattern, value)).toBeLessThanOrEqual(value.length + text.length + 10);
    expect(matchesWildcard(pattern, value + 'b')).toBe(true);
  });

  test('wildcard: periodic segments (KMP) stay linear', () => {
    const pattern = parseWildcard('*' + 'ab'.repeat(500) + 'c*') as WildcardPattern;
    const value = 'ab'.repeat(100_000);
    expect(matchesWildcard(pattern, value)).toBe(false);
    expect(steps(pattern, value)).toBeLessThanOrEqual(value.length + 1_000 + 10);
  });

  test('wildcard: literal segments, escapes and anchors', () => {
    const matches = (p: string, v: string) => matchesWildcard(parseWildcard(p) as WildcardPattern, v);
    expect(matches('a\\*b', 'a*b')).toBe(true);
    expect(matches('a\\\\b', 'a\\b')).toBe(true);
    expect(matches('ab*ba', 'aba')).toBe(false);
    expect(matches('ab*ba', 'abba')).toBe(true);
    expect(matches('*', '')).toBe(true);
    expect(matches('a*', 'ba')).toBe(false);
  });

  test('a full filter against a big payload: steps grow with conditions × payload values, no more', () => {
    const values = Array.from({ length: FILTER_LIMITS.conditions - 2 }, (_, i) => `v${i}`);
    const filter = { payload: { items: { sku: values, price: [{ numeric: ['>', 1e9] }] } } };
    const items = Array.from({ length: 10_000 }, (_, i) => ({ sku: `v${i % 50}`, price: i }));
    const meter = newMeter();
    expect(matchesFilter(filter, message({ items }), meter)).toBe(false);
    // Each of the 10,000 items: a handful of steps (the sku set lookup is one step, not one per value).
    expect(meter.steps).toBeLessThanOrEqual(items.length * 10);
  });

  test('arrays nested deeper than FILTER_LIMITS.payloadArrayNesting are not looked into', () => {
    let deep: unknown = ['needle'];
    for (let i = 0; i < FILTER_LIMITS.payloadArrayNesting; i++) deep = [deep];
    expect(matchesFilter({ payload: { a: ['needle'] } }, message({ a: deep }))).toBe(false);
    expect(matchesFilter({ payload: { a: ['needle'] } }, message({ a: [[['needle']]] }))).toBe(true);
  });

  test('an invalid filter (never stored by the API) lets nothing through', () => {
    expect(matchesFilter({ payload: { a: 'x' } }, message({ a: 'x' }))).toBe(false);
    expect(matchesFilter(null, message({}))).toBe(false);
  });
});
