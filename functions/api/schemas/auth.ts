/** AppPortalAccessIn and ApplicationTokenExpireIn (Svix's authentication bodies). */
import * as z from 'zod/mini';
import { APP_TOKEN_EXPIRY, CAPABILITIES, type AppPortalAccessInput } from '../../core/auth/app-tokens.ts';
import { ApplicationInSchema, toApplicationInput } from './application.ts';
import { name, nullish, plainText } from './common.ts';
import { parseOrThrow } from './issues.ts';

export const AppPortalAccessInSchema = z.object({
  application: nullish(ApplicationInSchema),
  expiry: nullish(z.int().check(z.gte(APP_TOKEN_EXPIRY.minSeconds), z.lte(APP_TOKEN_EXPIRY.maxSeconds))),
  featureFlags: nullish(z.array(name).check(z.maxLength(50))),
  readOnly: nullish(z.boolean()),
  sessionId: nullish(z.string().check(z.minLength(1), z.maxLength(256), plainText)),
  capabilities: nullish(z.array(z.enum(CAPABILITIES)).check(z.maxLength(CAPABILITIES.length * 2))),
});

/** The SDK sends `{}` by default; an empty body is taken as `{}` too. */
export function parseAppPortalAccessIn(body: unknown): AppPortalAccessInput {
  const b = parseOrThrow(AppPortalAccessInSchema, body ?? {});
  return {
    application: b.application == null ? undefined : toApplicationInput(b.application),
    expirySeconds: b.expiry ?? APP_TOKEN_EXPIRY.defaultSeconds,
    capabilities: b.capabilities ?? null,
    readOnly: b.readOnly ?? false,
    featureFlags: b.featureFlags ?? [],
    sessionId: b.sessionId ?? null,
  };
}

export const ApplicationTokenExpireInSchema = z.object({
  expiry: nullish(z.int().check(z.gte(0), z.lte(APP_TOKEN_EXPIRY.maxSeconds))),
  sessionIds: nullish(z.array(z.string().check(z.minLength(1), z.maxLength(256), plainText)).check(z.maxLength(100))),
});

export function parseApplicationTokenExpireIn(body: unknown): { sessionIds: string[] | undefined } {
  const b = parseOrThrow(ApplicationTokenExpireInSchema, body ?? {});
  return { sessionIds: b.sessionIds == null || b.sessionIds.length === 0 ? undefined : b.sessionIds };
}
