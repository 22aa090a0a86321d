/**
 * Event types, keyed by name. Svix semantics: create unarchives an archived type (replacing its
 * description and schemas); DELETE archives unless `expunge`. An event type with feature flags is
 * visible only to callers holding one of them (app tokens issued with `featureFlags`); the admin
 * token sees every event type (`flags` undefined).
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { EventType } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import { isValidUid } from '../validation/uids.ts';
import type { PageQuery, Slice, Stores } from '../ports.ts';

export interface EventTypeInput {
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, unknown> | null;
  groupName: string | null;
  featureFlags: string[] | null;
}

export type EventTypePatch = Partial<EventTypeInput>;

const EXISTS = 'An event_type with this name already exists';

/** The feature flags a caller holds; undefined: all (the admin token). */
export type VisibleFlags = readonly string[] | undefined;

/** Svix: a flagged event type is seen only by a token carrying the flag (with several flags, any one). */
export function isVisible(eventType: Pick<EventType, 'featureFlags'>, flags: VisibleFlags): boolean {
  if (flags === undefined || eventType.featureFlags === null || eventType.featureFlags.length === 0) return true;
  return eventType.featureFlags.some((flag) => flags.includes(flag));
}

/** The event type `name`, 404 if it does not exist or the caller may not see it. */
export async function requireEventType(stores: Stores, name: string, flags?: VisibleFlags): Promise<EventType> {
  const eventType = await stores.eventTypes.get(name);
  if (eventType === undefined || !isVisible(eventType, flags)) throw new NotFoundError();
  return eventType;
}

export async function createEventType(stores: Stores, name: string, input: EventTypeInput): Promise<EventType> {
  const now = new Date().toISOString();
  const existing = await stores.eventTypes.get(name);
  if (existing !== undefined) {
    if (!existing.archived) throw new ConflictError(EXISTS, 'event_type_exists');
    const revived: EventType = { ...input, name, createdAt: existing.createdAt, updatedAt: now };
    await stores.eventTypes.put(revived);
    return revived;
  }
  const eventType: EventType = { ...input, name, createdAt: now, updatedAt: now };
  try {
    await stores.eventTypes.create(eventType);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(EXISTS, 'event_type_exists');
    throw error;
  }
  return eventType;
}

/** PUT /event-type/{name}: creates (created: true) or replaces. */
export async function upsertEventType(
  stores: Stores,
  name: string,
  input: EventTypeInput,
): Promise<{ eventType: EventType; created: boolean }> {
  if (!isValidUid(name)) throw ValidationError.at(['path', 'event_type_name'], 'must match ^[a-zA-Z0-9\\-_.]+$');
  const now = new Date().toISOString();
  const existing = await stores.eventTypes.get(name);
  const eventType: EventType = { ...input, name, createdAt: existing?.createdAt ?? now, updatedAt: now };
  await stores.eventTypes.put(eventType);
  return { eventType, created: existing === undefined };
}

export async function patchEventType(stores: Stores, name: string, patch: EventTypePatch): Promise<EventType> {
  const existing = await requireEventType(stores, name);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const eventType: EventType = { ...existing, ...defined, name, updatedAt: new Date().toISOString() };
  await stores.eventTypes.put(eventType);
  return eventType;
}

export async function deleteEventType(stores: Stores, name: string, expunge: boolean): Promise<void> {
  const existing = await requireEventType(stores, name);
  if (expunge) {
    await stores.eventTypes.delete(name);
    return;
  }
  await stores.eventTypes.put({ ...existing, archived: true, updatedAt: new Date().toISOString() });
}

/**
 * A page of the event types `flags` may see. Hidden ones are skipped while reading, so a page still
 * holds `limit` items when enough visible ones exist (the store is read on from the last raw item
 * until then); an admin caller costs the one read it always did.
 */
async function visibleSlice(stores: Stores, query: PageQuery, includeArchived: boolean, flags: VisibleFlags): Promise<Slice<EventType>> {
  if (flags === undefined) return stores.eventTypes.list({ ...query, includeArchived });
  const items: EventType[] = [];
  let from = query.from;
  for (;;) {
    const raw = await stores.eventTypes.list({ ...query, ...(from === undefined ? {} : { from }), includeArchived });
    for (const eventType of raw.items) {
      if (!isVisible(eventType, flags)) continue;
      // One more visible item exists: the page is full and not the last.
      if (items.length === query.limit) return { items, more: true };
      items.push(eventType);
    }
    const last = raw.items.at(-1);
    if (!raw.more || last === undefined) return { items, more: false };
    from = last.name;
  }
}

export function listEventTypes(
  stores: Stores,
  params: ListParams,
  includeArchived: boolean,
  flags?: VisibleFlags,
): Promise<ListOut<EventType>> {
  return paginate(params, (query) => visibleSlice(stores, query, includeArchived, flags), (et) => et.name);
}
