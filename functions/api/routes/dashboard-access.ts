/**
 * `POST /auth/dashboard-access/{app_id}`: Svix's deprecated form of app-portal-access, which its
 * server still answers and the v1 SDK still calls (`authentication.dashboardAccess`). No body: a token
 * with the defaults (all capabilities, 7 days, no feature flags) for an application that must exist
 * (404 otherwise). Admin token only, like app-portal-access.
 */
import { APP_TOKEN_EXPIRY, issueAppToken } from '../../core/auth/app-tokens.ts';
import { appPortalUrl } from '../portal-link.ts';
import type { Route } from '../types.ts';

export const dashboardAccessRoute: Route = {
  method: 'POST',
  pattern: '/auth/dashboard-access/{app_id}',
  handler: async (req, { stores }) => {
    const { token, record } = await issueAppToken(stores, req.params.app_id!, {
      application: undefined,
      expirySeconds: APP_TOKEN_EXPIRY.defaultSeconds,
      capabilities: null,
      readOnly: false,
      featureFlags: [],
      sessionId: null,
    });
    // The token is a credential: an idempotent replay keeps it sealed, as app-portal-access does.
    return { status: 200, body: { url: appPortalUrl(req.baseUrl ?? '', token, record), token }, replay: { kind: 'sealed' } };
  },
};
