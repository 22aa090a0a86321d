/** EndpointHeadersIn (PUT) and EndpointHeadersPatchIn (PATCH: `null` or `deleteHeaders` removes a name). */
import * as z from 'zod/mini';
import { endpointHeaderName, endpointHeaders, endpointHeaderValue } from './common.ts';
import { parseOrThrow } from './issues.ts';

export const EndpointHeadersInSchema = z.object({ headers: endpointHeaders });

export const EndpointHeadersPatchInSchema = z.object({
  headers: z.record(endpointHeaderName, z.nullable(endpointHeaderValue)),
  // The cloud API's list form of removal (the v2 SDK's EndpointHeadersPatchIn has it).
  deleteHeaders: z.optional(z.nullable(z.array(z.string()))),
});

export function parseEndpointHeadersIn(body: unknown): Record<string, string> {
  return parseOrThrow(EndpointHeadersInSchema, body).headers;
}

export function parseEndpointHeadersPatchIn(body: unknown): { headers: Record<string, string | null>; deleteHeaders: string[] } {
  const b = parseOrThrow(EndpointHeadersPatchInSchema, body);
  return { headers: b.headers, deleteHeaders: b.deleteHeaders ?? [] };
}
