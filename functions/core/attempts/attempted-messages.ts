/**
 * GET /app/{app}/endpoint/{ep}/msg: the messages attempted to one endpoint, newest first, each with
 * its delivery status for that endpoint (Svix's EndpointMessageOut).
 *
 * Built from bounded reads of what delivery already writes (no write on the delivery path): the
 * endpoint's attempt log is walked newest first (ATT#<app>#<ep>, eventually consistent Query pages),
 * each message is placed at its LATEST attempt, its status comes from its DeliveryStatus item when it
 * has one (BatchGetItem), and the messages themselves from one BatchGetItem (two with content).
 *
 * Departure from Svix, on purpose: Svix orders by message id; here a message sits at its latest
 * attempt to the endpoint, so the list reads newest activity first. The two orders agree for messages
 * delivered at once; a message being retried moves up with each retry. The iterator is still the
 * message id of the last item (Svix's shape): continuing from it costs a read of that message's
 * attempt index and one BatchGetItem of its attempts to find its latest.
 *
 * Cost per page of `limit` L: the attempt pages walked (≈ L × attempts per message × item size, at
 * 0.5 read unit per 4 KB), a BatchGetItem of ≤ L+1 statuses and one of ≤ L+1 message records (0.5
 * unit each), plus one per payload with content. The walk stops after MAX_WALK_PAGES Query pages
 * (each ≤ 1 MB), then answers `done: false` with what it found, so a sparse filter never scans an
 * endpoint's whole history in one call.
 */
import { boundaryId, idTime } from '../ids.ts';
import { AttemptStatus, type DeliveryStatus, type Message, type MessageAttempt } from '../model.ts';
import { planPage, toListOut, type ListOut, type ListParams } from '../pagination.ts';
import type { AttemptFilter, Stores } from '../ports.ts';
import { requireEndpoint } from '../endpoints/service.ts';
import { endpointMessageState, isLatestAttempt, type DeliveryState } from './delivery-state.ts';

export const MAX_WALK_PAGES = 10;
/** The largest Query page (items) the walk asks for. */
const MAX_PAGE_ITEMS = 1000;
/** Marks a message whose status was read and found absent (a first-attempt success writes none). */
const NO_STATUS = { msgId: '' } as DeliveryStatus;

export interface AttemptedMessagesFilter {
  status?: number | undefined;
  channel?: string | undefined;
  tag?: string | undefined;
  eventTypes?: string[] | undefined;
}

export interface AttemptedMessage {
  message: Message;
  state: DeliveryState;
}

const EMPTY: ListOut<never> = { data: [], iterator: null, prevIterator: null, done: true };

/** An attempt id range that surely contains every attempt of a message newer than `msgId` (attempts follow their message). */
const attemptsFrom = (msgId: string): string => boundaryId('attempt', new Date(idTime(msgId).getTime() - 10), 'start');

export async function listAttemptedMessages(
  stores: Stores,
  appIdOrUid: string,
  endpointIdOrUid: string,
  params: ListParams,
  filter: AttemptedMessagesFilter,
  withContent: boolean,
): Promise<ListOut<AttemptedMessage>> {
  const { app, endpoint } = await requireEndpoint(stores, appIdOrUid, endpointIdOrUid);
  // Svix no longer gives any message the Pending status here: that filter is always empty.
  if (filter.status === AttemptStatus.Pending) return EMPTY;
  const plan = planPage(params);
  const { query } = plan;

  let from: string | undefined;
  if (query.from !== undefined) {
    // The cursor message sits at its latest attempt to this endpoint. Without one (a message never
    // attempted here, or an attempt the index has not caught up with), its own time stands in.
    const cursor = (await stores.attempts.allForMessage(app.id, query.from)).filter((a) => a.endpointId === endpoint.id).at(-1);
    from = cursor?.id ?? boundaryId('attempt', idTime(query.from), query.order === 'descending' ? 'start' : 'end');
  }
  // before/after bound the MESSAGE ids (as in Svix); the cursor message itself was on the last page.
  const inBounds = (msgId: string): boolean =>
    msgId !== query.from && (query.lower === undefined || msgId >= query.lower) && (query.upper === undefined || msgId <= query.upper);

  const attemptFilter: AttemptFilter = {};
  if (filter.channel !== undefined) attemptFilter.channel = filter.channel;
  if (filter.tag !== undefined) attemptFilter.tag = filter.tag;
  if (filter.eventTypes !== undefined) attemptFilter.eventTypes = filter.eventTypes;
  const walk = stores.attempts.walkByEndpoint(
    app.id,
    endpoint.id,
    { order: query.order, ...(from === undefined ? {} : { from }), ...(query.lower === undefined ? {} : { lower: attemptsFrom(query.lower) }) },
    attemptFilter,
    // Small pages first: a page of L messages needs about L attempts when deliveries succeed at once.
    Math.min(MAX_PAGE_ITEMS, Math.max(2 * (query.limit + 1), 50)),
  );

  const want = query.limit + 1;
  const placed: { attempt: MessageAttempt; status: DeliveryStatus | undefined }[] = [];
  const done = new Set<string>();
  let pages = 0;
  let exhausted = true;
  for await (const page of walk) {
    pages++;
    const candidates = page.filter((a) => !done.has(a.msgId) && inBounds(a.msgId));
    const statuses = new Map<string, DeliveryStatus>();
    for (let i = 0; i < candidates.length; i++) {
      const attempt = candidates[i]!;
      if (done.has(attempt.msgId)) continue;
      if (!statuses.has(attempt.msgId)) {
        // Statuses are read in chunks of about what is still missing, so a long page costs no more
        // reads than the messages it places.
        const chunk = candidates.slice(i, i + Math.max(want - placed.length, 25)).map((a) => a.msgId);
        for (const s of await stores.attempts.statusesOf(app.id, endpoint.id, chunk)) statuses.set(s.msgId, s);
        for (const msgId of chunk) if (!statuses.has(msgId)) statuses.set(msgId, NO_STATUS);
      }
      const found = statuses.get(attempt.msgId);
      const status = found === NO_STATUS ? undefined : found;
      if (!isLatestAttempt(attempt, status)) {
        // Newest first, the first attempt seen is the latest in range: an older one means the message
        // was placed (at a newer attempt) on an earlier page. Oldest first, its latest is still ahead.
        if (query.order === 'descending') done.add(attempt.msgId);
        continue;
      }
      done.add(attempt.msgId);
      const state = endpointMessageState(attempt, status);
      if (filter.status !== undefined && state.status !== filter.status) continue;
      placed.push({ attempt, status });
      if (placed.length === want) break;
    }
    if (placed.length === want) {
      exhausted = false;
      break;
    }
    if (pages >= MAX_WALK_PAGES) {
      exhausted = false;
      break;
    }
  }

  const page = placed.slice(0, query.limit);
  const messages = new Map(
    (await stores.messages.getMany(app.id, page.map((p) => p.attempt.msgId), { withPayload: withContent })).map((m) => [m.id, m]),
  );
  const items: AttemptedMessage[] = [];
  for (const { attempt, status } of page) {
    const message = messages.get(attempt.msgId);
    // A message record past its 90 days is gone while its attempts may linger: nothing to show.
    if (message !== undefined) items.push({ message, state: endpointMessageState(attempt, status) });
  }
  return toListOut({ items, more: !exhausted }, plan, (item) => item.message.id);
}
