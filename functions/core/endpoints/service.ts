/** Endpoints of an application: create, read, upsert (PUT), patch, delete, list. */
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { ID_PREFIX, newId } from '../ids.ts';
import type { Application, Endpoint, EndpointOrdering } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { Stores } from '../ports.ts';
import { requireApplication } from '../applications/service.ts';
import { generateSecret, normaliseSecret, type SignatureType } from './secrets.ts';
import { isValidUid } from '../validation/uids.ts';
import { resolveDestination, type DestinationInput } from '../destinations/endpoint-destination.ts';

export interface EndpointInput {
  url: string;
  description: string;
  uid: string | null;
  disabled: boolean;
  eventTypes: string[] | null;
  channels: string[] | null;
  /** A validated payload filter (core/filtering/); null: none. Absent on a patch: kept. */
  filter?: Record<string, unknown> | null | undefined;
  /** 'fifo': an ordered endpoint (core/ordering/); null: unordered. Absent on a patch: kept. */
  ordering?: EndpointOrdering | null | undefined;
  /**
   * An AWS-native destination's role (core/destinations/; the url is its ARN). Null: none. Absent:
   * kept when the url still names an AWS destination.
   */
  destination?: DestinationInput | null | undefined;
  throttleRate: number | null;
  metadata: Record<string, string>;
  /** Create only (undefined elsewhere: headers are kept). */
  headers?: Record<string, string> | undefined;
  /** Create only: null or absent generates one. */
  secret?: string | null | undefined;
  /** Create only: the kind of secret generated when `secret` is null (default hmac). */
  signatureType?: SignatureType | undefined;
}

/** Absent (undefined) fields are kept; null clears a nullable field. */
export type EndpointPatch = Partial<Omit<EndpointInput, 'secret' | 'headers' | 'signatureType'>>;

const DUPLICATE = 'An endpoint with that id or uid already exists';

export async function requireEndpoint(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
): Promise<{ app: Application; endpoint: Endpoint }> {
  const app = await requireApplication(stores, appIdOrUid);
  const endpoint = await stores.endpoints.get(app.id, endpointIdOrUid);
  if (endpoint === undefined) throw new NotFoundError();
  return { app, endpoint };
}

/** Endpoints may only filter on event types that exist (and are not archived). */
async function checkEventTypes(stores: Stores, eventTypes: string[] | null | undefined): Promise<void> {
  if (eventTypes === null || eventTypes === undefined || eventTypes.length === 0) return;
  const missing = await stores.eventTypes.missing(eventTypes);
  if (missing.length > 0) {
    throw ValidationError.at(['body', 'eventTypes'], `Unknown event types: ${missing.join(', ')}`);
  }
}

async function insert(stores: Stores, app: Application, input: EndpointInput): Promise<Endpoint> {
  await checkEventTypes(stores, input.eventTypes);
  const key = input.secret == null ? generateSecret(input.signatureType) : normaliseSecret(input.secret, ['body', 'secret']);
  const now = new Date().toISOString();
  const { secret: _secret, headers, signatureType: _signatureType, destination: requested, ...fields } = input;
  const destination = resolveDestination(input.url, requested, undefined);
  const endpoint: Endpoint = {
    ...fields,
    ...(destination === null ? {} : { destination }),
    id: newId('endpoint'),
    appId: app.id,
    headers: headers ?? {},
    secrets: [{ key, expiresAt: null }],
    createdAt: now,
    updatedAt: now,
  };
  try {
    await stores.endpoints.create(endpoint);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(DUPLICATE);
    throw error;
  }
  return endpoint;
}

async function replace(stores: Stores, previous: Endpoint, input: Omit<EndpointInput, 'secret' | 'headers' | 'signatureType'>): Promise<Endpoint> {
  const { destination: requested, ...fields } = input;
  const destination = resolveDestination(fields.url, requested, previous);
  const endpoint: Endpoint = { ...previous, ...fields, destination, updatedAt: new Date().toISOString() };
  try {
    await stores.endpoints.update(endpoint, previous);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(DUPLICATE);
    throw error;
  }
  return endpoint;
}

/**
 * An endpoint turning ordered marks its app first (Application.orderedDelivery): every message
 * published after the endpoint write is answered then reads the mark (a consistent read) and takes the
 * ordered fan-out path. One more write, only when an endpoint turns ordered.
 */
async function markIfOrdered(stores: Stores, app: Application, ordering: EndpointOrdering | null | undefined): Promise<void> {
  if (ordering === 'fifo' && app.orderedDelivery !== true) await stores.applications.markOrdered(app.id);
}

export async function createEndpoint(stores: Stores, appIdOrUid: string, input: EndpointInput): Promise<Endpoint> {
  const app = await requireApplication(stores, appIdOrUid);
  await markIfOrdered(stores, app, input.ordering);
  return insert(stores, app, input);
}

/**
 * PUT …/endpoint/{endpoint_id}: replaces an existing endpoint (secret and headers kept), or creates
 * one whose uid is the path's `endpoint_id`.
 */
export async function upsertEndpoint(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  input: EndpointInput,
): Promise<{ endpoint: Endpoint; created: boolean }> {
  const app = await requireApplication(stores, appIdOrUid);
  await markIfOrdered(stores, app, input.ordering);
  const previous = await stores.endpoints.get(app.id, endpointIdOrUid);
  if (previous === undefined) {
    if (endpointIdOrUid.startsWith(ID_PREFIX.endpoint) || !isValidUid(endpointIdOrUid)) throw new NotFoundError();
    const endpoint = await insert(stores, app, { ...input, uid: input.uid ?? endpointIdOrUid, secret: null });
    return { endpoint, created: true };
  }
  await checkEventTypes(stores, input.eventTypes);
  const { secret: _secret, headers: _headers, signatureType: _signatureType, ...fields } = input;
  // PUT replaces the whole resource: fields absent from the body (uid too) return to their defaults.
  return { endpoint: await replace(stores, previous, fields), created: false };
}

export async function patchEndpoint(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  patch: EndpointPatch,
): Promise<Endpoint> {
  const { app, endpoint: previous } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  await checkEventTypes(stores, patch.eventTypes);
  await markIfOrdered(stores, app, patch.ordering);
  const keep = <K extends keyof EndpointPatch>(k: K): Endpoint[K] =>
    (patch[k] === undefined ? previous[k] : patch[k]) as Endpoint[K];
  return replace(stores, previous, {
    url: keep('url'),
    description: keep('description'),
    uid: keep('uid'),
    disabled: keep('disabled'),
    eventTypes: keep('eventTypes'),
    channels: keep('channels'),
    filter: keep('filter'),
    ordering: keep('ordering'),
    destination: patch.destination,
    throttleRate: keep('throttleRate'),
    metadata: keep('metadata'),
  });
}

/** Deletes the endpoint; returns what was deleted (with its application) for the caller to report. */
export async function deleteEndpoint(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
): Promise<{ app: Application; endpoint: Endpoint }> {
  const found = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  await stores.endpoints.delete(found.endpoint);
  return found;
}

export async function listEndpoints(stores: Stores, appIdOrUid: string, params: ListParams): Promise<ListOut<Endpoint>> {
  const app = await requireApplication(stores, appIdOrUid);
  return paginate(params, (query) => stores.endpoints.list(app.id, query), (ep) => ep.id);
}
