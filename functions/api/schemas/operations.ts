/** Bodies of the endpoint operations: secret rotation and recovery. */
import * as z from 'zod/mini';
import { ValidationError } from '../../core/errors.ts';
import {
  DEFAULT_GRACE_PERIOD_SECONDS,
  MAX_GRACE_PERIOD_SECONDS,
  type RotateInput,
} from '../../core/endpoints/secrets.ts';
import { parseDateTime } from '../../core/validation/dates.ts';
import { nullish } from './common.ts';
import { parseOrThrow } from './issues.ts';

export const RotateInSchema = z.object({
  key: nullish(z.string()),
  gracePeriodSeconds: nullish(z.int().check(z.gte(0), z.lte(MAX_GRACE_PERIOD_SECONDS))),
});

/** The SDKs send `{}`; an empty body is taken as `{}` too. */
export function parseRotateIn(body: unknown): RotateInput {
  const b = parseOrThrow(RotateInSchema, body ?? {});
  return { key: b.key ?? null, gracePeriodSeconds: b.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS };
}

export const RecoverInSchema = z.object({ since: z.string(), until: nullish(z.string()) });

function date(value: string, field: string): Date {
  const parsed = parseDateTime(value);
  if (parsed === undefined) throw ValidationError.at(['body', field], 'must be an RFC 3339 date-time');
  return parsed;
}

export function parseRecoverIn(body: unknown): { since: Date; until: Date | undefined } {
  const b = parseOrThrow(RecoverInSchema, body);
  return { since: date(b.since, 'since'), until: b.until == null ? undefined : date(b.until, 'until') };
}
