/**
 * CORS in the api function, so the local front and API Gateway (proxy integration, OPTIONS included)
 * behave alike: preflights are answered 204 before anything else runs (browsers send them without the
 * Authorization header), and every response, errors included, carries the CORS headers. The policy:
 * ../cors.ts.
 *
 * A wrapper around the whole middy handler rather than a middleware: middy stops its onError chain at
 * the error mapper, so a middleware would miss the error responses.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, isPreflight, preflightHeaders, type CorsOrigins } from '../cors.ts';
import { headerValue } from './auth.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function withCors(allowed: CorsOrigins, handler: Handler): Handler {
  return async (event, context) => {
    const header = (name: string): string | undefined => headerValue(event.headers, name);
    if (isPreflight(event.httpMethod, header)) {
      return { statusCode: 204, headers: preflightHeaders(header('origin'), allowed), body: '' };
    }
    const response = await handler(event, context);
    return { ...response, headers: { ...response.headers, ...corsHeaders(header('origin'), allowed) } };
  };
}
