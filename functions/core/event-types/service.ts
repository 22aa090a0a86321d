/**
 * Event types, keyed by name. Svix semantics: create unarchives an archived type (replacing its
 * description and schemas); DELETE archives unless `expunge`.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { EventType } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { Stores } from '../ports.ts';
import { isValidUid } from '../validation/uids.ts';

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

export async function requireEventType(stores: Stores, name: string): Promise<EventType> {
  const eventType = await stores.eventTypes.get(name);
  if (eventType === undefined) throw new NotFoundError();
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

export function listEventTypes(
  stores: Stores,
  params: ListParams,
  includeArchived: boolean,
): Promise<ListOut<EventType>> {
  return paginate(params, (query) => stores.eventTypes.list({ ...query, includeArchived }), (et) => et.name);
}
