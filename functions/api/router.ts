/**
 * Path normalisation and a small route table matcher. The v1 SDK sends `//api/v1/…` when its
 * serverUrl ends with a slash, so repeated slashes collapse; a trailing slash is ignored.
 */
import { MethodNotAllowedError, NotFoundError } from '../core/errors.ts';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Query, Route } from './types.ts';

export const API_PREFIX = '/api/v1';

/** The path below /api/v1 (`/app/…`), or undefined if the path is not under it. */
export function apiPath(rawPath: string): string | undefined {
  const path = ('/' + rawPath).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  if (path === API_PREFIX) return '/';
  return path.startsWith(API_PREFIX + '/') ? path.slice(API_PREFIX.length) : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { error: Error };

/** Finds the route for method + path: 404 if no pattern fits the path, 405 if only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, path: string | undefined): RouteMatch {
  if (path === undefined) return { error: new NotFoundError() };
  const segments = path.split('/').slice(1);
  let pathKnown = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === undefined) continue;
    pathKnown = true;
    if (route.method === method.toUpperCase()) return { route, params };
  }
  return { error: pathKnown ? new MethodNotAllowedError() : new NotFoundError() };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return undefined;
      params[part.slice(1, -1)] = decodeSegment(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** encodeURIComponent throws on a lone surrogate; such a character (only a crafted event has one) becomes U+FFFD. */
const encodeQuery = (text: string): string => encodeURIComponent(text.toWellFormed());

/** The query of a proxy event (API Gateway has already decoded it). */
export function eventQuery(event: APIGatewayProxyEvent): { query: Query; raw: string } {
  const multi = event.multiValueQueryStringParameters ?? {};
  const single = event.queryStringParameters ?? {};
  const all = (name: string): string[] => {
    const values = multi[name];
    if (values !== undefined) return values;
    const value = single[name];
    return value === undefined ? [] : [value];
  };
  const names = new Set([...Object.keys(multi), ...Object.keys(single)]);
  const raw = [...names]
    .flatMap((name) => all(name).map((v) => `${encodeQuery(name)}=${encodeQuery(v)}`))
    .join('&');
  return { query: { get: (name) => all(name).at(-1), all }, raw };
}
