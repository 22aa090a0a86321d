/**
 * Bearer-token authentication and authorisation.
 *
 * - The admin token: compared by sha256 (constant time whatever the lengths). When a presented token
 *   does not match, the current admin token is re-read (Secrets Manager on AWS) at most once a minute,
 *   so a rotated token works without a redeploy; the source rate-limits itself.
 * - App-scoped tokens (`sluice_app_…`, ../../core/auth/app-tokens.ts): looked up by their sha256, then
 *   checked against the route (../auth/access.ts): capability, and the route's {app_id} resolved (id
 *   or uid) to the token's application.
 * Unauthenticated callers learn nothing: every failure before a route's own answer is the same 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { authenticateAppToken, isAppToken } from '../../core/auth/app-tokens.ts';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../../core/errors.ts';
import type { AppTokenRecord, Stores } from '../../core/ports.ts';
import { appTokenRequirement } from '../auth/access.ts';
import type { ApiEvent, Principal, RequestState } from '../types.ts';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function headerValue(headers: ApiEvent['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1]?.trim();
}

export interface AuthOptions {
  adminToken: string;
  /** Re-reads the admin token (rotation); resolves undefined when it may not ask again yet. */
  refreshAdminToken?: (() => Promise<string | undefined>) | undefined;
  stores: Stores;
}

/** Checks an app token against the matched route; throws 403/404. */
async function authorizeAppToken(stores: Stores, state: RequestState, token: AppTokenRecord): Promise<void> {
  if ('error' in state.match) return; // 404/405 for everyone alike
  const { route, params } = state.match;
  const need = appTokenRequirement(route.method, route.pattern);
  if (need.kind === 'any') return;
  if (need.kind === 'admin' || !token.capabilities.includes(need.capability)) throw new ForbiddenError();
  if (!need.scoped) return;
  const appParam = params.app_id;
  if (appParam === undefined) throw new ForbiddenError();
  if (appParam === token.appId) return;
  // A uid, or another application: the same 404 whether or not that application exists.
  const app = await stores.applications.get(appParam);
  if (app === undefined || app.id !== token.appId) throw new NotFoundError();
}

export function bearerAuth(options: AuthOptions): MiddlewareObj<ApiEvent, APIGatewayProxyResult> {
  let expected = sha256(options.adminToken);

  async function isAdminToken(token: string): Promise<boolean> {
    if (timingSafeEqual(sha256(token), expected)) return true;
    const fresh = await options.refreshAdminToken?.();
    if (fresh === undefined) return false;
    expected = sha256(fresh);
    return timingSafeEqual(sha256(token), expected);
  }

  return {
    before: async (request) => {
      const state = request.event.sluiceState;
      if (state !== undefined && 'route' in state.match && state.match.route.public === true) return;
      const token = bearerToken(headerValue(request.event.headers, 'authorization'));
      if (token === undefined || token === '') throw new AuthenticationError();
      let principal: Principal;
      if (isAppToken(token)) {
        principal = { kind: 'app', token: await authenticateAppToken(options.stores, token) };
      } else if (await isAdminToken(token)) {
        principal = { kind: 'admin' };
      } else {
        throw new AuthenticationError();
      }
      if (state === undefined) return;
      state.tokenScope = sha256(token).toString('hex');
      state.principal = principal;
      if (principal.kind === 'app') await authorizeAppToken(options.stores, state, principal.token);
    },
  };
}
