/**
 * EventTypeIn (POST, carries the name), EventTypeUpsertIn (PUT) and EventTypePatch. Feature flags come
 * as `featureFlags` (the v2 SDK, Svix's cloud) or the open-source server's single `featureFlag`; both
 * are stored as one list. Each version in `schemas` must be a valid JSON Schema (422 otherwise).
 */
import * as z from 'zod/mini';
import type { EventTypeInput, EventTypePatch } from '../../core/event-types/service.ts';
import { checkEventTypeSchemas } from '../../core/event-types/schema-check.ts';
import { LIMITS, valueExceedsDepth } from '../limits.ts';
import { description, name, nullish } from './common.ts';
import { parseOrThrow } from './issues.ts';

const featureFlags = z.array(name).check(z.maxLength(LIMITS.featureFlags));

/** Every number DynamoDB (and its marshaller) stores exactly; others would fail the write with a 500. */
function storableNumbers(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && v !== 0 && (Math.abs(v) > Number.MAX_SAFE_INTEGER || Math.abs(v) < 1e-130)) return false;
    if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (!Array.isArray(v) && k === '') return false;
        stack.push(child);
      }
    }
  }
  return true;
}

/**
 * JSON schemas per version, stored as DynamoDB maps: bounded in size and nesting (DynamoDB nests at
 * most 32 levels), with no empty keys and no numbers beyond what it stores.
 */
const schemas = z.record(z.string(), z.unknown()).check(
  z.refine((v) => Buffer.byteLength(JSON.stringify(v)) <= LIMITS.schemasBytes, {
    message: `must be at most ${LIMITS.schemasBytes} bytes of JSON`,
    abort: true,
  }),
  z.refine((v) => !valueExceedsDepth(v, LIMITS.schemasDepth), {
    message: `must be nested at most ${LIMITS.schemasDepth} levels deep`,
    abort: true,
  }),
  z.refine(storableNumbers, { message: `must not contain empty keys, or numbers above ${Number.MAX_SAFE_INTEGER} or below 1e-130 in magnitude` }),
);

const upsertFields = {
  description,
  archived: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
  schemas: nullish(schemas),
  groupName: nullish(name),
  featureFlags: nullish(featureFlags),
  featureFlag: nullish(name),
};

export const EventTypeInSchema = z.object({ name, ...upsertFields });
export const EventTypeUpsertInSchema = z.object(upsertFields);
export const EventTypePatchSchema = z.object({
  description: z.optional(description),
  archived: z.optional(z.boolean()),
  deprecated: z.optional(z.boolean()),
  schemas: nullish(schemas),
  groupName: nullish(name),
  featureFlags: nullish(featureFlags),
  featureFlag: nullish(name),
});

/** `featureFlags` wins; a lone `featureFlag` is a list of one; `null` in either clears (patch). */
function flagsOf(b: { featureFlags?: string[] | null | undefined; featureFlag?: string | null | undefined }): string[] | null | undefined {
  if (b.featureFlags !== undefined) return b.featureFlags;
  if (b.featureFlag === undefined) return undefined;
  return b.featureFlag === null ? null : [b.featureFlag];
}

function toInput(b: z.infer<typeof EventTypeUpsertInSchema>): EventTypeInput {
  checkEventTypeSchemas(b.schemas);
  const flags = flagsOf(b);
  return {
    description: b.description,
    archived: b.archived ?? false,
    deprecated: b.deprecated ?? false,
    schemas: b.schemas ?? null,
    groupName: b.groupName ?? null,
    featureFlags: flags === undefined || flags === null || flags.length === 0 ? null : flags,
  };
}

export function parseEventTypeIn(body: unknown): { name: string; input: EventTypeInput } {
  const b = parseOrThrow(EventTypeInSchema, body);
  return { name: b.name, input: toInput(b) };
}

export const parseEventTypeUpsertIn = (body: unknown): EventTypeInput =>
  toInput(parseOrThrow(EventTypeUpsertInSchema, body));

export function parseEventTypePatch(body: unknown): EventTypePatch {
  const { featureFlag: _featureFlag, featureFlags: _featureFlags, ...b } = parseOrThrow(EventTypePatchSchema, body);
  checkEventTypeSchemas(b.schemas);
  const flags = flagsOf({ featureFlag: _featureFlag, featureFlags: _featureFlags });
  // Keys present in the body only: absent keeps the stored value.
  const patch = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as EventTypePatch;
  if (flags !== undefined) patch.featureFlags = flags === null || flags.length === 0 ? null : flags;
  return patch;
}
