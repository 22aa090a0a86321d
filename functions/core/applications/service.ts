/** Applications: create (or get-or-create by uid), read, upsert, patch, delete, list. */
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { newId, ID_PREFIX } from '../ids.ts';
import type { Application } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { Stores } from '../ports.ts';
import { isValidUid } from '../validation/uids.ts';

export interface ApplicationInput {
  name: string;
  uid: string | null;
  throttleRate: number | null;
  metadata: Record<string, string>;
}

/** Absent (undefined) fields are kept; null clears a nullable field. */
export type ApplicationPatch = Partial<ApplicationInput>;

const DUPLICATE = 'An application with that id or uid already exists';

export async function requireApplication(stores: Stores, idOrUid: string): Promise<Application> {
  const app = await stores.applications.get(idOrUid);
  if (app === undefined) throw new NotFoundError();
  return app;
}

/**
 * The uid of an application created implicitly (MessageIn.application, AppPortalAccessIn.application)
 * for the path's `{app_id}`, which did not exist. As in Svix, a body uid that differs from the path is a
 * 422; without one, the path names the new application's uid (unless it is an `app_…` id).
 */
export function implicitApplicationUid(pathIdOrUid: string, input: ApplicationInput): string | null {
  if (input.uid !== null && input.uid !== pathIdOrUid) {
    throw ValidationError.at(['body', 'application', 'uid'], 'Application UID in the path and body must match', 'application_uid_mismatch');
  }
  return input.uid ?? (pathIdOrUid.startsWith(ID_PREFIX.application) || !isValidUid(pathIdOrUid) ? null : pathIdOrUid);
}

async function insert(stores: Stores, input: ApplicationInput): Promise<Application> {
  const now = new Date().toISOString();
  const app: Application = { id: newId('application'), ...input, createdAt: now, updatedAt: now };
  try {
    await stores.applications.create(app);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(DUPLICATE);
    throw error;
  }
  return app;
}

/**
 * Creates an application. With `getIfExists`, an application that already has the input's uid is
 * returned instead (`created: false`), also when a concurrent request created it first.
 */
export async function createApplication(
  stores: Stores,
  input: ApplicationInput,
  options: { getIfExists: boolean } = { getIfExists: false },
): Promise<{ app: Application; created: boolean }> {
  if (options.getIfExists && input.uid !== null) {
    const existing = await stores.applications.get(input.uid);
    if (existing !== undefined) return { app: existing, created: false };
  }
  try {
    return { app: await insert(stores, input), created: true };
  } catch (error) {
    if (!(error instanceof ConflictError) || !options.getIfExists || input.uid === null) throw error;
    return { app: await requireApplication(stores, input.uid), created: false };
  }
}

/**
 * PUT /app/{app_id}: replaces an existing application, or creates one whose uid is the path's
 * `app_id` (Svix's upsert). An `app_…` id that does not exist cannot become a uid: 404.
 */
export async function upsertApplication(
  stores: Stores,
  idOrUid: string,
  input: ApplicationInput,
): Promise<{ app: Application; created: boolean }> {
  const previous = await stores.applications.get(idOrUid);
  if (previous === undefined) {
    if (idOrUid.startsWith(ID_PREFIX.application) || !isValidUid(idOrUid)) throw new NotFoundError();
    return { app: await insert(stores, { ...input, uid: input.uid ?? idOrUid }), created: true };
  }
  // PUT replaces the whole resource: a uid absent from the body is removed, as in Svix.
  return { app: await replace(stores, previous, input), created: false };
}

export async function patchApplication(stores: Stores, idOrUid: string, patch: ApplicationPatch): Promise<Application> {
  const previous = await requireApplication(stores, idOrUid);
  return replace(stores, previous, {
    name: patch.name ?? previous.name,
    uid: patch.uid === undefined ? previous.uid : patch.uid,
    throttleRate: patch.throttleRate === undefined ? previous.throttleRate : patch.throttleRate,
    metadata: patch.metadata ?? previous.metadata,
  });
}

async function replace(stores: Stores, previous: Application, input: ApplicationInput): Promise<Application> {
  const app: Application = { ...previous, ...input, updatedAt: new Date().toISOString() };
  try {
    await stores.applications.update(app, previous);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(DUPLICATE);
    throw error;
  }
  return app;
}

export async function deleteApplication(stores: Stores, idOrUid: string): Promise<void> {
  await stores.applications.delete(await requireApplication(stores, idOrUid));
}

export function listApplications(stores: Stores, params: ListParams): Promise<ListOut<Application>> {
  return paginate(params, (query) => stores.applications.list(query), (app) => app.id);
}
