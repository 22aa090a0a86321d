/**
 * App-scoped tokens (Svix's "app portal access"): a bearer token that sees and changes one
 * application only, for a limited time, with a set of capabilities. Only the token's sha256 is
 * stored; the token is shown once, in the response that issues it.
 *
 * Format: `sluice_app_` + 43 base64url characters (256 random bits). No dots, so a Svix SDK that is
 * missing its serverUrl never reads a region out of it; the prefix tells the auth middleware to look
 * it up instead of comparing it with the admin token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthenticationError, NotFoundError } from '../errors.ts';
import type { AppTokenRecord, AppTokenStore, Stores } from '../ports.ts';
import { createApplication, implicitApplicationUid, type ApplicationInput } from '../applications/service.ts';

export const APP_TOKEN_PREFIX = 'sluice_app_';

/** Svix's app portal capabilities (AppPortalCapability in the SDK). */
export const CAPABILITIES = [
  'ViewBase',
  'ViewEndpointSecret',
  'ManageEndpointSecret',
  'ManageTransformations',
  'CreateAttempts',
  'ManageEndpoint',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Svix: between 1 hour and 7 days, default 7 days. */
export const APP_TOKEN_EXPIRY = { minSeconds: 3_600, maxSeconds: 604_800, defaultSeconds: 604_800 } as const;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
export const isAppToken = (token: string): boolean => token.startsWith(APP_TOKEN_PREFIX);

/**
 * The capabilities a token gets. None given: all of them (Svix's default). `readOnly` (deprecated in
 * Svix) keeps the viewing ones. ManageEndpoint includes the secret capabilities, as Svix documents it.
 */
export function effectiveCapabilities(requested: readonly Capability[] | null | undefined, readOnly: boolean): Capability[] {
  const granted = new Set<Capability>(requested === null || requested === undefined ? CAPABILITIES : ['ViewBase', ...requested]);
  if (granted.has('ManageEndpoint')) granted.add('ManageEndpointSecret');
  if (granted.has('ManageEndpointSecret')) granted.add('ViewEndpointSecret');
  if (readOnly) return [...granted].filter((c) => c === 'ViewBase' || c === 'ViewEndpointSecret');
  return CAPABILITIES.filter((c) => granted.has(c));
}

export interface AppPortalAccessInput {
  /** Creates the application when the path's id/uid does not exist (ignored otherwise). */
  application?: ApplicationInput | undefined;
  expirySeconds: number;
  capabilities: readonly Capability[] | null;
  readOnly: boolean;
  featureFlags: string[];
  sessionId: string | null;
}

function tokenStore(stores: Stores): AppTokenStore {
  if (stores.appTokens === undefined) throw new Error('no app token store configured');
  return stores.appTokens;
}

/** Issues a token for the application `appIdOrUid` (creating it from `input.application` if asked). */
export async function issueAppToken(
  stores: Stores,
  appIdOrUid: string,
  input: AppPortalAccessInput,
  now: Date = new Date(),
): Promise<{ token: string; record: AppTokenRecord }> {
  let app = await stores.applications.get(appIdOrUid);
  if (app === undefined) {
    if (input.application === undefined) throw new NotFoundError();
    const uid = implicitApplicationUid(appIdOrUid, input.application);
    app = (await createApplication(stores, { ...input.application, uid }, { getIfExists: true })).app;
  }
  const token = `${APP_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: AppTokenRecord = {
    hash: hashToken(token),
    appId: app.id,
    capabilities: effectiveCapabilities(input.capabilities, input.readOnly),
    featureFlags: input.featureFlags,
    sessionId: input.sessionId,
    createdAt: now.toISOString(),
    expiry: new Date(now.getTime() + input.expirySeconds * 1000).toISOString(),
  };
  await tokenStore(stores).put(record);
  return { token, record };
}

/** The live record of a presented app token; 401 if unknown, expired or logged out. */
export async function authenticateAppToken(stores: Stores, token: string, now: Date = new Date()): Promise<AppTokenRecord> {
  const record = stores.appTokens === undefined ? undefined : await stores.appTokens.get(hashToken(token));
  if (record === undefined || Date.parse(record.expiry) <= now.getTime()) throw new AuthenticationError();
  return record;
}

export async function revokeAppToken(stores: Stores, record: Pick<AppTokenRecord, 'hash'>): Promise<void> {
  await tokenStore(stores).delete(record.hash);
}

export async function revokeAppTokensOf(stores: Stores, appId: string, sessionIds?: readonly string[]): Promise<number> {
  return tokenStore(stores).deleteForApp(appId, sessionIds);
}
