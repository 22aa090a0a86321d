/**
 * The link `appPortalAccess` (and dashboard-access) hands out: the portal page beside the API, with
 * everything the page needs in the fragment, which browsers never send to a server, put in a Referer or
 * write to an access log:
 * - `key`: the app-scoped bearer token;
 * - `app`: the application's id, so the page knows which application its calls are about;
 * - `cap`: the token's capabilities, so the page hides what the token may not do (the API still refuses
 *   it: these are a hint for the UI, not a grant);
 * - `ff`: the token's feature flags, when it has any.
 */
import { PORTAL_PATH } from '../../portal/serving.ts';

export interface PortalLinkFields {
  appId: string;
  capabilities: readonly string[];
  featureFlags?: readonly string[];
}

export function appPortalUrl(baseUrl: string, token: string, fields: PortalLinkFields): string {
  const parts = [`key=${enc(token)}`, `app=${enc(fields.appId)}`, `cap=${fields.capabilities.map(enc).join(',')}`];
  if (fields.featureFlags !== undefined && fields.featureFlags.length > 0) parts.push(`ff=${fields.featureFlags.map(enc).join(',')}`);
  return `${baseUrl}${PORTAL_PATH}#${parts.join('&')}`;
}

/** Tokens, ids and capability names are URL-safe already; feature flags may not be. */
const enc = (value: string): string => encodeURIComponent(value);
