/** Attempt logs, by endpoint or by message, optionally with each attempt's message. */
import { NotFoundError } from '../errors.ts';
import type { Message, MessageAttempt } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { AttemptFilter, Stores } from '../ports.ts';
import { requireApplication } from '../applications/service.ts';
import { requireEndpoint } from '../endpoints/service.ts';
import { requireMessage } from '../messages/service.ts';

export interface AttemptWithMessage {
  attempt: MessageAttempt;
  /** Set when the caller asked for `with_msg` (and the message still exists). */
  msg?: Message | undefined;
}

async function attachMessages(
  stores: Stores,
  appId: string,
  list: ListOut<MessageAttempt>,
  withMsg: boolean,
): Promise<ListOut<AttemptWithMessage>> {
  if (!withMsg) return { ...list, data: list.data.map((attempt) => ({ attempt })) };
  const ids = [...new Set(list.data.map((a) => a.msgId))];
  const found = await Promise.all(ids.map((id) => stores.messages.get(appId, id)));
  const byId = new Map(ids.map((id, i) => [id, found[i]]));
  return { ...list, data: list.data.map((attempt) => ({ attempt, msg: byId.get(attempt.msgId) })) };
}

export async function listAttemptsByEndpoint(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  params: ListParams,
  filter: AttemptFilter,
  withMsg: boolean,
): Promise<ListOut<AttemptWithMessage>> {
  const { app, endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  const list = await paginate(
    params,
    (query) => stores.attempts.listByEndpoint(app.id, endpoint.id, query, filter),
    (a) => a.id,
  );
  return attachMessages(stores, app.id, list, withMsg);
}

export async function listAttemptsByMessage(
  stores: Stores,
  appIdOrUid: string,
  msgIdOrEventId: string,
  params: ListParams,
  filter: AttemptFilter,
): Promise<ListOut<AttemptWithMessage>> {
  const app = await requireApplication(stores, appIdOrUid);
  const message = await requireMessage(stores, app.id, msgIdOrEventId);
  // The filter may name the endpoint by uid; the attempt log stores ids.
  if (filter.endpointId !== undefined) {
    const endpoint = await stores.endpoints.get(app.id, filter.endpointId);
    if (endpoint === undefined) return { data: [], iterator: null, prevIterator: null, done: true };
    filter = { ...filter, endpointId: endpoint.id };
  }
  const list = await paginate(
    params,
    (query) => stores.attempts.listByMessage(app.id, message.id, query, filter),
    (a) => a.id,
  );
  return attachMessages(stores, app.id, list, false);
}

/** What an expunged response reads as (Svix's marker). */
export const EXPUNGED_RESPONSE = 'EXPUNGED';

/** GET /app/{app}/msg/{msg}/attempt/{attempt}: 404 unless the attempt belongs to that message. */
export async function getAttempt(stores: Stores, appIdOrUid: string, msgIdOrEventId: string, attemptId: string): Promise<MessageAttempt> {
  const app = await requireApplication(stores, appIdOrUid);
  const message = await requireMessage(stores, app.id, msgIdOrEventId);
  const attempt = await stores.attempts.getForMessage(app.id, message.id, attemptId);
  if (attempt === undefined) throw new NotFoundError();
  return attempt;
}

/**
 * DELETE …/attempt/{attempt}/content: the stored response body is replaced by "EXPUNGED" (an
 * endpoint that answered with something sensitive). One UpdateItem (the
 * message's attempt index holds no response, so it has nothing to change).
 */
export async function expungeAttemptContent(stores: Stores, appIdOrUid: string, msgIdOrEventId: string, attemptId: string): Promise<void> {
  const attempt = await getAttempt(stores, appIdOrUid, msgIdOrEventId, attemptId);
  await stores.attempts.replaceResponse(attempt, EXPUNGED_RESPONSE);
}
