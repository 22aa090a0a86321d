/** Event-type schemas must be JSON Schema (draft-07 meta-schema, patterns compile); the generated validator is current. */
import { readFileSync } from 'node:fs';
import { GENERATED_PATH, generateMetaValidatorSource } from '../../bin/generate-json-schema-validator.ts';
import { checkEventTypeSchemas } from '../../functions/core/event-types/schema-check.ts';
import { ValidationError } from '../../functions/core/errors.ts';

const issuesOf = (schemas: Record<string, unknown>): unknown => {
  try {
    checkEventTypeSchemas(schemas);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
};

test('valid schemas pass, null and {} included', () => {
  expect(issuesOf({ '1': { type: 'object', required: ['a'], properties: { a: { type: 'string', pattern: '^a+$' } }, examples: [{ a: 'aa' }] } })).toEqual([]);
  expect(issuesOf({})).toEqual([]);
  expect(() => checkEventTypeSchemas(null)).not.toThrow();
});

test('a keyword of the wrong type is located at the keyword', () => {
  expect(issuesOf({ '1': { readOnly: 15 } })).toEqual([
    { loc: ['body', 'schemas', '1', 'readOnly'], msg: expect.stringContaining('boolean'), type: 'value_error.jsonschema' },
  ]);
  expect(issuesOf({ '2': { properties: { a: { minimum: 'zero' } } } })).toMatchObject([{ loc: ['body', 'schemas', '2', 'properties', 'a', 'minimum'] }]);
});

test('a version that is not an object, or a pattern that is not a regular expression, is refused', () => {
  expect(issuesOf({ '1': 5 })).toMatchObject([{ loc: ['body', 'schemas', '1'] }]);
  expect(issuesOf({ '1': { properties: { a: { pattern: '((' } } } })).toMatchObject([{ loc: ['body', 'schemas', '1', 'properties', 'a', 'pattern'] }]);
  expect(issuesOf({ '1': { patternProperties: { '[': {} } } })).toMatchObject([{ loc: ['body', 'schemas', '1', 'patternProperties', '['] }]);
  // Instance data is not a schema: an example with a "pattern" key is fine.
  expect(issuesOf({ '1': { examples: [{ pattern: '((' }] } })).toEqual([]);
});

test('the checked-in meta-schema validator is what bin/generate-json-schema-validator.ts produces', () => {
  expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateMetaValidatorSource());
});
