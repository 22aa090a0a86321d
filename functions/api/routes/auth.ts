/**
 * /auth: app-scoped tokens (Svix's app portal access), logout, and expire-all. Who may call what is
 * decided in ../auth/access.ts (these three: admin, any token, admin).
 *
 * `url` opens the portal (portal/, served at `<base>/portal`) with the token in the fragment
 * (`#key=…&app=…`, never sent to a server or written to an access log: see ../portal-link.ts);
 * `token` is the same bearer token, for API calls.
 */
import { issueAppToken, revokeAppToken, revokeAppTokensOf } from '../../core/auth/app-tokens.ts';
import { ForbiddenError } from '../../core/errors.ts';
import { requireApplication } from '../../core/applications/service.ts';
import { appPortalUrl } from '../portal-link.ts';
import { parseAppPortalAccessIn, parseApplicationTokenExpireIn } from '../schemas/auth.ts';
import type { Route } from '../types.ts';

export const authRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/auth/app-portal-access/{app_id}',
    handler: async (req, { stores }) => {
      const input = parseAppPortalAccessIn(req.body);
      const { token, record } = await issueAppToken(stores, req.params.app_id!, input);
      const url = appPortalUrl(req.baseUrl ?? '', token, record);
      // The token is a credential: an idempotent replay keeps it sealed, never in the clear.
      return { status: 200, body: { url, token }, replay: { kind: 'sealed' } };
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
