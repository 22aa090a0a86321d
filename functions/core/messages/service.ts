/** Messages: publish (store once, then queue one fan-out task), read, list. */
import { ConflictError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Application, Message } from '../model.ts';
import { paginate, type ListOut, type ListParams } from '../pagination.ts';
import type { MessageFilter, Stores } from '../ports.ts';
import { publishDelaySeconds } from '../fanout/scheduled-delivery.ts';
import { fansOutInOrder } from '../ordering/ordering.ts';
import type { FanoutQueue } from '../tasks/tasks.ts';
import { createApplication, implicitApplicationUid, type ApplicationInput } from '../applications/service.ts';

export const DEFAULT_RETENTION_HOURS = 90 * 24;

export interface MessageInput {
  eventType: string;
  payload: Record<string, unknown>;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
  deliverAt: string | null;
  /** How long the payload is kept. */
  retentionHours: number;
  /** MessageIn.transformationsParams.rawPayload: sent (and signed) exactly as given instead of the payload's JSON. */
  rawPayload?: string | null | undefined;
  /** MessageIn.application: creates the application when the path's app does not exist. */
  application?: ApplicationInput | undefined;
}

/** The application a message is published to, created from `input.application` if missing. */
async function targetApplication(stores: Stores, appIdOrUid: string, input: MessageInput): Promise<Application> {
  const app = await stores.applications.get(appIdOrUid);
  if (app !== undefined) return app;
  if (input.application === undefined) throw new NotFoundError();
  const appInput = { ...input.application, uid: implicitApplicationUid(appIdOrUid, input.application) };
  return (await createApplication(stores, appInput, { getIfExists: true })).app;
}

/** The message a publish of `input` to `appId` at `now` stores. */
export function newMessage(appId: string, input: MessageInput, now: Date): Message {
  return {
    id: newId('message', now),
    appId,
    eventType: input.eventType,
    payload: input.payload,
    eventId: input.eventId,
    channels: input.channels,
    tags: input.tags,
    timestamp: now.toISOString(),
    deliverAt: input.deliverAt,
    payloadExpiresAt: new Date(now.getTime() + input.retentionHours * 3_600_000).toISOString(),
    ...(input.rawPayload == null ? {} : { rawPayload: input.rawPayload }),
  };
}

/** Stores a new message (ConflictError when its eventId is taken). */
export async function storeMessage(stores: Stores, message: Message): Promise<void> {
  try {
    await stores.messages.create(message);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError('A message with that eventId already exists');
    throw error;
  }
}

export async function createMessage(
  deps: { stores: Stores; fanoutQueue: FanoutQueue },
  appIdOrUid: string,
  input: MessageInput,
): Promise<Message> {
  const app = await targetApplication(deps.stores, appIdOrUid, input);
  const now = new Date();
  const message = newMessage(app.id, input, now);
  await storeMessage(deps.stores, message);
  try {
    // The routing fields ride along: fan-out then routes without reading the message back. A
    // deliverAt ahead delays the task (up to SQS's 15 min); fan-out holds it for the rest.
    await deps.fanoutQueue.send(
      {
        kind: 'message',
        appId: app.id,
        msgId: message.id,
        eventType: message.eventType,
        channels: message.channels,
        ...(message.deliverAt === null ? {} : { deliverAt: message.deliverAt }),
      },
      { delaySeconds: publishDelaySeconds(message.deliverAt, now), ordered: fansOutInOrder(app, message) },
    );
  } catch (error) {
    // Undo the publish so the client's retry (same idempotency key, released on failure) creates
    // the message afresh instead of leaving a stored message that nothing will ever deliver.
    await deps.stores.messages.delete(message).catch(() => undefined);
    throw error;
  }
  return message;
}

/** True once retention has purged (or is due to purge) the payload. */
export function payloadExpired(message: Message, now: Date = new Date()): boolean {
  return message.payload === null || message.payloadExpiresAt < now.toISOString();
}

export async function requireMessage(stores: Stores, appId: string, msgIdOrEventId: string): Promise<Message> {
  const message = await stores.messages.get(appId, msgIdOrEventId);
  if (message === undefined) throw new NotFoundError();
  return message;
}

export function listMessages(
  stores: Stores,
  appId: string,
  params: ListParams,
  filter: MessageFilter,
): Promise<ListOut<Message>> {
  return paginate(params, (query) => stores.messages.list(appId, query, filter), (m) => m.id);
}
