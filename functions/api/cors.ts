/**
 * CORS for browser clients: a customer's own dashboard (svix-react, the `svix` SDK in a browser) calls
 * the API from another origin with an app-portal token. Allowed origins come from SLUICE_CORS_ORIGINS:
 * `*` (the default) or a comma-separated list of exact origins. `*` is safe here because the API
 * authenticates with a bearer header, never a cookie: a page can only call it with a token it holds,
 * and no credentials are ever allowed (`Access-Control-Allow-Credentials` is never sent).
 *
 * Pure header logic, shared by the api function's middleware (./middleware/cors.ts), the local front's
 * own answers (local/api-gateway-front.ts) and, for `*`, API Gateway's gateway responses (lib/).
 */

/** `'*'`, or the exact origins (scheme://host[:port]) allowed. */
export type CorsOrigins = '*' | readonly string[];

export const DEFAULT_CORS_ORIGINS: CorsOrigins = '*';

export const CORS_ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** What the Svix SDKs send besides the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, svix-req-id, svix-retry-count';
/** Response headers a page may read: Retry-After tells a client when to try again after a 429. */
export const CORS_EXPOSED_HEADERS = 'retry-after';
/** How long a browser may cache a preflight (browsers cap it lower: Chromium at 2 h). */
export const CORS_MAX_AGE_SECONDS = 86_400;

/** Parses SLUICE_CORS_ORIGINS; throws on an entry that is not an origin. */
export function parseCorsOrigins(value: string | undefined): CorsOrigins {
  const text = (value ?? '').trim();
  if (text === '' || text === '*') return '*';
  const origins = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`not an origin: "${origin}"`);
    }
    if (parsed.origin !== origin) throw new Error(`not an origin (scheme://host[:port], no path or slash): "${origin}"`);
  }
  return origins;
}

/** The Access-Control-Allow-Origin value for a request from `origin`, or undefined if it is not allowed. */
export function allowedOrigin(origin: string | undefined, allowed: CorsOrigins): string | undefined {
  if (allowed === '*') return '*';
  return origin !== undefined && allowed.includes(origin) ? origin : undefined;
}

/** Headers for every (non-preflight) response. */
export function corsHeaders(origin: string | undefined, allowed: CorsOrigins): Record<string, string> {
  const value = allowedOrigin(origin, allowed);
  const headers: Record<string, string> = allowed === '*' ? {} : { vary: 'Origin' };
  if (value === undefined) return headers;
  return { ...headers, 'access-control-allow-origin': value, 'access-control-expose-headers': CORS_EXPOSED_HEADERS };
}

/** A CORS preflight: OPTIONS with an Origin and an Access-Control-Request-Method. */
export function isPreflight(method: string, header: (name: string) => string | undefined): boolean {
  return method.toUpperCase() === 'OPTIONS' && header('origin') !== undefined && header('access-control-request-method') !== undefined;
}

/**
 * Headers answering a preflight (with a 204). An origin that is not allowed gets none of the
 * Access-Control-* headers, which is how a browser learns it is refused.
 */
export function preflightHeaders(origin: string | undefined, allowed: CorsOrigins): Record<string, string> {
  const value = allowedOrigin(origin, allowed);
  const headers: Record<string, string> = allowed === '*' ? {} : { vary: 'Origin' };
  if (value === undefined) return headers;
  return {
    ...headers,
    'access-control-allow-origin': value,
    'access-control-allow-methods': CORS_ALLOWED_METHODS,
    'access-control-allow-headers': CORS_ALLOWED_HEADERS,
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  };
}
