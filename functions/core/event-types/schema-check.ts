/**
 * Event-type schemas (`schemas: {"1": {...}, …}`, one JSON Schema per version) must be valid JSON
 * Schema: each version is checked against the draft-07 meta-schema (ajv's standalone validator,
 * generated at build time so the api bundle carries no ajv compiler; see
 * bin/generate-json-schema-validator.ts), and every `pattern` / `patternProperties` key must be a
 * regular expression. A malformed schema is a 422 located at the offending keyword, e.g.
 * `["body", "schemas", "1", "readOnly"]`.
 */
import { ValidationError, type ValidationIssue } from '../errors.ts';
import { validate as generatedValidate } from './draft7-meta-validator.generated.ts';

interface MetaError {
  instancePath: string;
  message?: string;
}
type MetaValidator = ((data: unknown) => boolean) & { errors?: MetaError[] | null };

const validateMeta = generatedValidate as unknown as MetaValidator;

/** JSON Pointer (`/properties/a~1b`) → path segments (`["properties", "a/b"]`). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const DATA_KEYWORDS = new Set(['examples', 'enum', 'const', 'default']);

/** Every `pattern` value and `patternProperties` key in a schema, with its path. */
function* patterns(node: unknown, path: string[]): Generator<{ source: string; path: string[] }> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* patterns(child, [...path, String(i)]);
    return;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === 'pattern' && typeof child === 'string') yield { source: child, path: [...path, key] };
    if (key === 'patternProperties' && typeof child === 'object' && child !== null && !Array.isArray(child)) {
      for (const name of Object.keys(child)) yield { source: name, path: [...path, key, name] };
    }
    // `properties`, `definitions` and the like hold schemas under arbitrary names: walk them too;
    // instance data (examples, enum, const, default) is not a schema.
    if (!DATA_KEYWORDS.has(key)) yield* patterns(child, [...path, key]);
  }
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/** The problems of one version's schema, located under `loc`. */
function problemsOf(schema: unknown, loc: (string | number)[]): ValidationIssue[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ loc, msg: 'a schema version must be a JSON Schema object', type: 'value_error.jsonschema' }];
  }
  if (!validateMeta(schema)) {
    return (validateMeta.errors ?? []).map((e) => ({
      loc: [...loc, ...pointerSegments(e.instancePath)],
      msg: `invalid JSON Schema: ${e.message ?? 'does not match the draft-07 meta-schema'}`,
      type: 'value_error.jsonschema',
    }));
  }
  for (const { source, path } of patterns(schema, [])) {
    if (!isRegExp(source)) {
      return [{ loc: [...loc, ...path], msg: 'invalid JSON Schema: not a valid regular expression', type: 'value_error.jsonschema' }];
    }
  }
  return [];
}

/** Throws a 422 if any version in `schemas` is not a valid JSON Schema. */
export function checkEventTypeSchemas(schemas: Record<string, unknown> | null | undefined, loc: (string | number)[] = ['body', 'schemas']): void {
  if (schemas === null || schemas === undefined) return;
  const issues = Object.entries(schemas).flatMap(([version, schema]) => problemsOf(schema, [...loc, version]));
  if (issues.length > 0) throw new ValidationError(issues);
}
