/**
 * Who is signed in, and where the credentials live.
 *
 * - A customer arrives with the link from `appPortalAccess`: `…/portal#key=<token>&app=<appId>&cap=…`.
 *   The fragment never reaches a server; the page reads it, removes it from the address bar (so it is not
 *   in the tab's history or a copied URL) and keeps the session in `sessionStorage`, which lives and dies
 *   with this tab. `cap` only decides which controls are shown: the API enforces the token's real scope.
 * - An operator types the admin token (or opens `#admin=<token>`, the link `npm start` prints): it is
 *   kept in this module's memory only, never in any storage, so a reload asks again.
 */

export const CAPABILITIES = [
  'ViewBase',
  'ViewEndpointSecret',
  'ManageEndpointSecret',
  'ManageTransformations',
  'CreateAttempts',
  'ManageEndpoint',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface AppSession {
  kind: 'app';
  token: string;
  appId: string;
  capabilities: Capability[];
  featureFlags: string[];
}

export interface AdminSession {
  kind: 'admin';
  token: string;
}

export type Session = AppSession | AdminSession;

const STORAGE_KEY = 'sluice.portal.session';

let adminToken: string | undefined;

/** Reads credentials from the fragment, if any, and clears them from the URL. */
export function takeFragmentCredentials(location: Location, history: History): 'app' | 'admin' | undefined {
  const hash = location.hash.replace(/^#/, '');
  if (hash === '' || hash.startsWith('/')) return undefined;
  const params = new URLSearchParams(hash);
  const key = params.get('key');
  const admin = params.get('admin');
  let found: 'app' | 'admin' | undefined;
  if (key !== null && key !== '') {
    const appId = params.get('app') ?? '';
    const session: AppSession = {
      kind: 'app',
      token: key,
      appId,
      capabilities: parseCapabilities(params.get('cap')),
      featureFlags: (params.get('ff') ?? '').split(',').filter((f) => f !== ''),
    };
    saveAppSession(session);
    found = 'app';
  } else if (admin !== null && admin !== '') {
    adminToken = admin;
    found = 'admin';
  }
  if (found !== undefined || params.has('console')) {
    // Replaces the history entry that carried the token.
    history.replaceState(null, '', `${location.pathname}${location.search}#/${found === 'app' ? '' : 'console'}`);
  }
  return found;
}

/** No `cap` in the link means the token got Svix's default: every capability. */
export function parseCapabilities(raw: string | null): Capability[] {
  if (raw === null) return [...CAPABILITIES];
  const wanted = new Set(raw.split(','));
  return CAPABILITIES.filter((c) => wanted.has(c));
}

export function saveAppSession(session: AppSession): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function loadAppSession(): AppSession | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<AppSession>;
    if (value.kind !== 'app' || typeof value.token !== 'string' || typeof value.appId !== 'string') return undefined;
    return { kind: 'app', token: value.token, appId: value.appId, capabilities: value.capabilities ?? [], featureFlags: value.featureFlags ?? [] };
  } catch {
    return undefined;
  }
}

export function clearAppSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function getAdminToken(): string | undefined {
  return adminToken;
}

export function setAdminToken(token: string | undefined): void {
  adminToken = token;
}

/** What the signed-in principal may do in an application's view (the admin may do everything). */
export interface Permissions {
  viewSecret: boolean;
  manageSecret: boolean;
  manageEndpoints: boolean;
  createAttempts: boolean;
  readOnly: boolean;
}

export function permissionsOf(capabilities: readonly Capability[]): Permissions {
  const has = (c: Capability): boolean => capabilities.includes(c);
  const manageEndpoints = has('ManageEndpoint');
  const createAttempts = has('CreateAttempts');
  const manageSecret = has('ManageEndpointSecret') || manageEndpoints;
  return {
    viewSecret: has('ViewEndpointSecret') || manageSecret,
    manageSecret,
    manageEndpoints,
    createAttempts,
    readOnly: !manageEndpoints && !createAttempts && !manageSecret,
  };
}

export const ADMIN_PERMISSIONS: Permissions = permissionsOf(CAPABILITIES);
