/** ApplicationIn / ApplicationPatch (v1 SDKs also send `rateLimit` for `throttleRate`). */
import * as z from 'zod/mini';
import type { ApplicationInput, ApplicationPatch } from '../../core/applications/service.ts';
import { nullish, plainText, stringMap, throttleRate, uidFor } from './common.ts';
import { parseOrThrow } from './issues.ts';
import { LIMITS } from '../limits.ts';

const appFields = {
  uid: nullish(uidFor('app_')),
  throttleRate: nullish(throttleRate),
  rateLimit: nullish(throttleRate),
  metadata: nullish(stringMap),
};

const appName = z.string().check(z.minLength(1), z.maxLength(LIMITS.nameLength), plainText);

export const ApplicationInSchema = z.object({ name: appName, ...appFields });
export const ApplicationPatchSchema = z.object({ name: z.optional(appName), ...appFields });

export type ApplicationInBody = z.infer<typeof ApplicationInSchema>;

export function toApplicationInput(body: ApplicationInBody): ApplicationInput {
  return {
    name: body.name,
    uid: body.uid ?? null,
    throttleRate: body.throttleRate ?? body.rateLimit ?? null,
    metadata: body.metadata ?? {},
  };
}

export const parseApplicationIn = (body: unknown): ApplicationInput =>
  toApplicationInput(parseOrThrow(ApplicationInSchema, body));

export function parseApplicationPatch(body: unknown): ApplicationPatch {
  const b = parseOrThrow(ApplicationPatchSchema, body);
  const patch: ApplicationPatch = {};
  if (b.name !== undefined) patch.name = b.name;
  if (b.uid !== undefined) patch.uid = b.uid;
  if (b.throttleRate !== undefined) patch.throttleRate = b.throttleRate;
  else if (b.rateLimit !== undefined) patch.throttleRate = b.rateLimit;
  if (b.metadata !== undefined) patch.metadata = b.metadata ?? {};
  return patch;
}
