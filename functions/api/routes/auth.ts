/**
 * /auth: app-scoped tokens (Svix's app portal access), logout, and expire-all. Who may call what is
 * decided in ../auth/access.ts (these three: admin, any token, admin).
 *
 * Sluice has no hosted portal UI: `url` is the API's base URL with the token in the fragment
 * (`#key=…`, never sent to a server or written to an access log), for a portal the operator hosts;
 * `token` is the same bearer token, for API calls.
 */
import { issueAppToken, revokeAppToken, revokeAppTokensOf } from '../../core/auth/app-tokens.ts';
import { ForbiddenError } from '../../core/errors.ts';
import { requireApplication } from '../../core/applications/service.ts';
import { parseAppPortalAccessIn, parseApplicationTokenExpireIn } from '../schemas/auth.ts';
import type { Route } from '../types.ts';

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/auth/app-portal-access/{app_id}',
    handler: async (req, { stores }) => {
      const input = parseAppPortalAccessIn(req.body);
      const { token } = await issueAppToken(stores, req.params.app_id!, input);
      return { status: 200, body: { url: `${req.baseUrl ?? ''}/app-portal#key=${token}`, token } };
    },
  },
  {
    method: 'POST',
    pattern: '/auth/logout',
    handler: async (req, { stores }) => {
      // Svix: "Trying to log out other tokens will fail" — the admin token is not logged out.
      if (req.principal?.kind !== 'app') throw new ForbiddenError('Only app-scoped tokens can be logged out');
      await revokeAppToken(stores, req.principal.token);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/auth/app/{app_id}/expire-all',
    handler: async (req, { stores }) => {
      const { sessionIds } = parseApplicationTokenExpireIn(req.body);
      const app = await requireApplication(stores, req.params.app_id!);
      await revokeAppTokensOf(stores, app.id, sessionIds);
      return { status: 204 };
    },
  },
];
