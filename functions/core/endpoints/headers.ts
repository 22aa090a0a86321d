/**
 * GET/PUT/PATCH /app/{app}/endpoint/{ep}/headers: the custom headers sent with every webhook to an
 * endpoint. Reads hide the values of the names Svix treats as sensitive (they are listed in
 * `sensitive` instead); PUT replaces the set, PATCH merges it (`null` or `deleteHeaders` removes a
 * name). Names keep the case the user gave (sent that way too); header names being case-insensitive,
 * setting or removing a name replaces any spelling of it.
 */
import { ValidationError } from '../errors.ts';
import type { Endpoint } from '../model.ts';
import type { Stores } from '../ports.ts';
import { requireEndpoint } from './service.ts';

/** Svix's server (EndpointHeadersOut::SENSITIVE_HEADERS), compared lower-cased. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'x-auth-token',
  'x-api-key',
  'www-authenticate',
  'authorization',
  'proxy-authenticate',
  'proxy-authorization',
]);

export interface EndpointHeadersView {
  headers: Record<string, string>;
  /** Names whose values are not shown. */
  sensitive: string[];
}

export function headersView(headers: Record<string, string>): EndpointHeadersView {
  const view: EndpointHeadersView = { headers: {}, sensitive: [] };
  for (const [name, value] of Object.entries(headers)) {
    if (SENSITIVE_HEADERS.has(name.toLowerCase())) view.sensitive.push(name);
    else view.headers[name] = value;
  }
  return view;
}

const withoutName = (headers: Record<string, string>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([n]) => n.toLowerCase() !== name.toLowerCase()));

/** `headers` merged with `patch` (a null value removes the name) and `remove` (names to remove). */
export function mergeHeaders(headers: Record<string, string>, patch: Record<string, string | null>, remove: readonly string[] = []): Record<string, string> {
  let merged = { ...headers };
  for (const name of remove) merged = withoutName(merged, name);
  for (const [name, value] of Object.entries(patch)) {
    merged = withoutName(merged, name);
    if (value !== null) merged[name] = value;
  }
  return merged;
}

export async function getEndpointHeaders(stores: Stores, appIdOrUid: string, endpointIdOrUid: string): Promise<EndpointHeadersView> {
  const { endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  return headersView(endpoint.headers ?? {});
}

async function save(stores: Stores, previous: Endpoint, headers: Record<string, string>, maxHeaders: number): Promise<void> {
  if (Object.keys(headers).length > maxHeaders) throw ValidationError.at(['body', 'headers'], `an endpoint may have at most ${maxHeaders} headers`);
  await stores.endpoints.update({ ...previous, headers, updatedAt: new Date().toISOString() }, previous);
}

export async function replaceEndpointHeaders(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  headers: Record<string, string>,
  options: { maxHeaders: number },
): Promise<void> {
  const { endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  await save(stores, endpoint, mergeHeaders({}, headers), options.maxHeaders);
}

export async function patchEndpointHeaders(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  patch: { headers: Record<string, string | null>; deleteHeaders: readonly string[] },
  options: { maxHeaders: number },
): Promise<void> {
  const { endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  await save(stores, endpoint, mergeHeaders(endpoint.headers ?? {}, patch.headers, patch.deleteHeaders), options.maxHeaders);
}
