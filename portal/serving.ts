/**
 * How the portal must be served, wherever it is served from (local/portal-assets.ts locally, API Gateway
 * and S3 on AWS via lib/portal.ts): its paths, security headers and cache rules, defined once.
 *
 * The content security policy allows scripts and styles from the page's own origin only (no inline
 * script, no eval), API calls to the same origin, and images from anywhere (the `icon` theming
 * parameter). `frame-ancestors` is the page's own origin plus the origins the operator lists in
 * SLUICE_PORTAL_FRAME_ANCESTORS (or `-c portalFrameAncestors=…` on AWS), so the portal can be embedded in
 * the operator's own product and nowhere else.
 */

/** The page; its files are under `${PORTAL_PATH}/assets/`. */
export const PORTAL_PATH = '/portal';
export const PORTAL_ASSETS_PREFIX = `${PORTAL_PATH}/assets/`;

export const FRAME_ANCESTORS_ENV = 'SLUICE_PORTAL_FRAME_ANCESTORS';

/** Where an HTTP API deployment copies the build inside the portal-files function's bundle (lib/http-api.ts). */
export const BUNDLED_PORTAL_DIR = 'portal-dist';

const SOURCE = /^(https?):\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

/**
 * `"https://app.example.com, https://*.example.org"` → `["'self'", "https://app.example.com", …]`.
 * Only origins (scheme://host[:port], `*.` wildcard allowed) are accepted: a path, a quote or a `;` in
 * the setting would change the meaning of the policy, so they fail loudly at start/synth instead.
 */
export function parseFrameAncestors(raw: string | undefined): string[] {
  const listed = (raw ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter((s) => s !== '' && s !== "'self'");
  for (const source of listed) {
    if (!SOURCE.test(source)) {
      throw new Error(`${FRAME_ANCESTORS_ENV}: "${source}" is not an origin such as https://app.example.com`);
    }
  }
  return ["'self'", ...new Set(listed)];
}

export function portalContentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: http: data:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
}

/** Headers on every portal response (the CSP matters on the page; it is harmless on the files). */
export function portalSecurityHeaders(frameAncestors: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': portalContentSecurityPolicy(frameAncestors),
    'x-content-type-options': 'nosniff',
    // The token is in the fragment, which browsers never send in a Referer; this also keeps the path out.
    'referrer-policy': 'no-referrer',
  };
}

/** The page may change on every deploy; the files under assets/ carry a content hash in their names. */
export const CACHE_CONTROL = {
  page: 'no-cache',
  asset: 'public, max-age=31536000, immutable',
} as const;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json',
  woff2: 'font/woff2',
  map: 'application/json',
};

export function contentTypeOf(file: string): string {
  return TYPES[file.slice(file.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

/** What a GET of `pathname` under the portal answers: a file of the build (relative to its root), a redirect, or nothing. */
export type PortalTarget =
  | { kind: 'file'; relative: string; cacheControl: string; page: boolean }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' };

/** True for the paths the portal answers (the rest belongs to the API). */
export const isPortalPath = (pathname: string): boolean => pathname === PORTAL_PATH || pathname.startsWith(`${PORTAL_PATH}/`);

/**
 * Maps a request path onto the build's files: /portal is index.html, /portal/assets/<name> a file of
 * portal/assets/ (one plain name: no `..`, no sub-directory, no encoded separator), anything else none.
 */
export function resolvePortalPath(pathname: string, search = ''): PortalTarget {
  // The page's relative asset URLs resolve only from /portal; the fragment survives the redirect.
  if (pathname === `${PORTAL_PATH}/`) return { kind: 'redirect', location: `${PORTAL_PATH}${search}` };
  if (pathname === PORTAL_PATH) return { kind: 'file', relative: 'index.html', cacheControl: CACHE_CONTROL.page, page: true };
  if (!pathname.startsWith(PORTAL_ASSETS_PREFIX)) return { kind: 'not-found' };
  let name: string;
  try {
    name = decodeURIComponent(pathname.slice(PORTAL_ASSETS_PREFIX.length));
  } catch {
    return { kind: 'not-found' };
  }
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,200}$/.test(name) || name.includes('..')) return { kind: 'not-found' };
  return { kind: 'file', relative: `portal/assets/${name}`, cacheControl: CACHE_CONTROL.asset, page: false };
}

/** Types worth gzipping (text); images and fonts are compressed already. */
export const isCompressible = (contentType: string): boolean => /^(text\/|application\/json|image\/svg)/.test(contentType);
