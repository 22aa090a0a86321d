/**
 * zod issues → Svix's 422 body items `{loc, msg, type}` (FastAPI/pydantic style, which the SDKs
 * model as HTTPValidationError). zod/mini ships no messages, so they are written here.
 */
import type * as z from 'zod/mini';
import { ValidationError, type ValidationIssue } from '../../core/errors.ts';

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): { msg: string; type: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return { msg: 'field required', type: 'value_error.missing' };
      return { msg: `expected ${issue.expected}`, type: `type_error.${issue.expected}` };
    case 'too_small':
      return {
        msg: issue.origin === 'array' || issue.origin === 'string'
          ? `must have at least ${issue.minimum} ${issue.origin === 'array' ? 'items' : 'characters'}`
          : `must be at least ${issue.minimum}`,
        type: 'value_error',
      };
    case 'too_big':
      return {
        msg: issue.origin === 'array' || issue.origin === 'string'
          ? `must have at most ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'}`
          : `must be at most ${issue.maximum}`,
        type: 'value_error',
      };
    case 'invalid_format':
      return { msg: issue.pattern ? `must match ${issue.pattern}` : `invalid ${issue.format}`, type: 'value_error' };
    case 'invalid_value':
      return { msg: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, type: 'value_error' };
    case 'unrecognized_keys':
      return { msg: `unknown fields: ${issue.keys.join(', ')}`, type: 'value_error' };
    case 'invalid_key': {
      // A record key that failed its own checks: say why (the inner issue), and that it is the key.
      const inner = issue.issues[0];
      return { msg: `invalid key: ${inner === undefined ? 'invalid value' : describe(inner).msg}`, type: 'value_error' };
    }
    case 'custom': {
      const type = typeof issue.params?.type === 'string' ? issue.params.type : 'value_error';
      return { msg: issue.message, type };
    }
    default:
      return { msg: issue.message === 'Invalid input' ? 'invalid value' : issue.message, type: 'value_error' };
  }
}

export function toValidationIssues(issues: readonly Issue[], root: string): ValidationIssue[] {
  return issues.map((issue) => ({
    loc: [root, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    ...describe(issue),
  }));
}

/** Parses `input` with `schema` or throws a ValidationError located under `root` ("body", …). */
export function parseOrThrow<T>(schema: z.ZodMiniType<T>, input: unknown, root = 'body'): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(toValidationIssues(result.error.issues, root));
}
