/**
 * Why the API measures JSON nesting on the raw text before parsing: V8's JSON.parse is iterative and
 * copes with any depth, but JSON.stringify (and every recursive walk after it: zod, DynamoDB's
 * marshalling) overflows the stack. A 100,000-deep array must be refused before it is parsed.
 */
import { exceedsJsonDepth, valueExceedsDepth } from '../../functions/api/limits.ts';
import { parseJsonBody } from '../../functions/api/middleware/json-body.ts';
import { ValidationError } from '../../functions/core/errors.ts';

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

test('JSON.parse survives 100,000 levels; JSON.stringify of the result does not', () => {
  const value: unknown = JSON.parse(deep(100_000));
  expect(() => JSON.stringify(value)).toThrow(RangeError);
});

test('the text scan refuses it without parsing', () => {
  expect(exceedsJsonDepth(deep(100_000), 64)).toBe(true);
  // It stops at the 65th level: what follows is never read (not even this, which is not JSON at all).
  expect(exceedsJsonDepth(`${'['.repeat(65)}<not json>`, 64)).toBe(true);
  expect(() => parseJsonBody(deep(100_000))).toThrow(ValidationError);
});

test('the scan counts objects and arrays, skips brackets in strings and escaped quotes', () => {
  expect(exceedsJsonDepth(deep(64), 64)).toBe(false);
  expect(exceedsJsonDepth(deep(65), 64)).toBe(true);
  expect(exceedsJsonDepth('{"a":{"b":{"c":1}}}', 2)).toBe(true);
  expect(exceedsJsonDepth(JSON.stringify({ s: '[[[[[[[[{{{{{{\\"[[[[' }), 1)).toBe(false);
  expect(exceedsJsonDepth(JSON.stringify(['\\', ['x']]), 1)).toBe(true);
});

test('valueExceedsDepth measures parsed values iteratively', () => {
  let v: unknown = 1;
  for (let i = 0; i < 10_000; i++) v = { a: v };
  expect(valueExceedsDepth(v, 24)).toBe(true);
  expect(valueExceedsDepth({ a: [1, { b: 2 }] }, 3)).toBe(false);
  expect(valueExceedsDepth({ a: [1, { b: 2 }] }, 2)).toBe(true);
});
