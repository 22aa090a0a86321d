/**
 * The API's base URL as the caller reached it, for links the API hands out (the app portal URL):
 * scheme from X-Forwarded-Proto (API Gateway sets it), host from the Host header, and the stage or
 * base-path mapping prefix from the difference between the client-visible path
 * (requestContext.path, e.g. `/prod/api/v1/app`) and the resource path (`/api/v1/app`).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { headerValue } from './middleware/auth.ts';

const HOST = /^[A-Za-z0-9.\-:[\]]{1,300}$/;

export function baseUrlOf(event: APIGatewayProxyEvent): string {
  const proto = headerValue(event.headers, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
  const hostHeader = headerValue(event.headers, 'host') ?? '';
  // The Host header is the caller's to choose: only a plain host[:port] goes into a URL we return.
  const host = HOST.test(hostHeader) ? hostHeader : 'localhost';
  const visible = event.requestContext?.path;
  const prefix =
    typeof visible === 'string' && typeof event.path === 'string' && visible.endsWith(event.path)
      ? visible.slice(0, visible.length - event.path.length).replace(/\/+$/, '')
      : '';
  return `${proto}://${host}${/^[A-Za-z0-9\-_/.]*$/.test(prefix) ? prefix : ''}`;
}
