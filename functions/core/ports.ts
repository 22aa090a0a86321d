/**
 * The small interfaces the domain needs from the outside world. Adapters (functions/adapters/)
 * implement them with the AWS SDK; they translate SDK exceptions into the errors of ./errors.ts
 * (e.g. a failed uniqueness condition becomes ConflictError).
 */
import type {
  Application,
  BackgroundTask,
  BackgroundTaskKind,
  BackgroundTaskStatus,
  DeliveryStatus,
  Endpoint,
  EventType,
  Message,
  MessageAttempt,
} from './model.ts';

/** One page as stores return it: the items (at most `limit`) and whether more exist after them. */
export interface Slice<T> {
  items: T[];
  more: boolean;
}

/**
 * A keyset page request over items whose keys (ids or names) sort as strings.
 * - `order`: the direction the caller wants items in.
 * - `from`: exclusive cursor; items strictly after it in `order`.
 * - `lower`/`upper`: optional inclusive key bounds (from `after`/`before` dates).
 */
export interface PageQuery {
  limit: number;
  order: 'ascending' | 'descending';
  from?: string;
  lower?: string;
  upper?: string;
}

export interface ApplicationStore {
  /** ConflictError if the uid is taken. */
  create(app: Application): Promise<void>;
  /** Looks up by id (`app_…`) or by uid. */
  get(idOrUid: string): Promise<Application | undefined>;
  /** Replaces the app; keeps the uid index in step (ConflictError if the new uid is taken). */
  update(app: Application, previous: Application): Promise<void>;
  /** Sets Application.orderedDelivery (an app that gets an ordered endpoint); NotFoundError if the app is gone. */
  markOrdered(appId: string): Promise<void>;
  /** Deletes the app, its uid index entry and its endpoints. */
  delete(app: Application): Promise<void>;
  list(query: PageQuery): Promise<Slice<Application>>;
}

export interface EventTypeStore {
  /** ConflictError(code 'event_type_exists') if the name exists. */
  create(eventType: EventType): Promise<void>;
  get(name: string): Promise<EventType | undefined>;
  put(eventType: EventType): Promise<void>;
  delete(name: string): Promise<void>;
  /** Keys are names. */
  list(query: PageQuery & { includeArchived: boolean }): Promise<Slice<EventType>>;
  /** The names among `names` that do not exist (or are archived). */
  missing(names: string[]): Promise<string[]>;
}

export interface EndpointStore {
  /** ConflictError if the uid is taken within the app. */
  create(endpoint: Endpoint): Promise<void>;
  /** Looks up by id (`ep_…`) or by uid, within the app. */
  get(appId: string, idOrUid: string, options?: ReadConsistency): Promise<Endpoint | undefined>;
  update(endpoint: Endpoint, previous: Endpoint): Promise<void>;
  delete(endpoint: Endpoint): Promise<void>;
  list(appId: string, query: PageQuery): Promise<Slice<Endpoint>>;
  /** Every endpoint of the app (fan-out). */
  all(appId: string): Promise<Endpoint[]>;
  /** Sets (or, with null, clears) the delivery-lane mark; a deleted endpoint is left alone. */
  setSlowUntil(appId: string, endpointId: string, until: string | null): Promise<void>;
}

export interface MessageFilter {
  channel?: string;
  eventTypes?: string[];
  tag?: string;
}

/**
 * `consistent: false` reads eventually consistent (half the read units). It may miss an item written
 * moments ago, or return its previous version: callers that must not miss confirm a miss with a
 * consistent read. Default: consistent (the API reads its own writes).
 */
export interface ReadConsistency {
  consistent?: boolean;
}

/** `withPayload: false` skips reading payloads (fan-out, lists without content); payload is then null. */
export interface MessageReadOptions extends ReadConsistency {
  withPayload?: boolean;
}

export interface MessageStore {
  /** ConflictError if `eventId` is already used within the app. */
  create(message: Message): Promise<void>;
  /**
   * Looks up by id (`msg_…`) or by eventId, within the app. `payload` is null once the retention period
   * has passed (the message record outlives its payload).
   */
  get(appId: string, idOrEventId: string, options?: MessageReadOptions): Promise<Message | undefined>;
  /** Removes the message and its eventId entry (undoes a publish whose fan-out task could not be queued). */
  delete(message: Message): Promise<void>;
  list(appId: string, query: PageQuery, filter: MessageFilter, options?: MessageReadOptions): Promise<Slice<Message>>;
  /** Deletes the payload for good (expunge): the record stays and reads as expired. */
  expungePayload(appId: string, msgId: string): Promise<void>;
  /**
   * The messages among `msgIds` that exist (any order; eventually consistent BatchGetItem, one per 100
   * ids); with `withPayload: true` their payloads too (a second BatchGetItem).
   */
  getMany(appId: string, msgIds: readonly string[], options?: { withPayload?: boolean }): Promise<Message[]>;
}

export interface AttemptFilter {
  status?: number;
  /** 1 = 1xx … 5xx; 0 = no response. */
  statusCodeClass?: number;
  channel?: string;
  tag?: string;
  eventTypes?: string[];
  endpointId?: string;
}

/** What the attempt log holds for one (message, endpoint): read when a task's attempt number is not obvious. */
export interface AttemptHistory {
  /** Scheduled (triggerType 0) attempts logged. */
  scheduled: number;
  /** True if any logged attempt (scheduled or manual) succeeded. */
  succeeded: boolean;
  /** The latest logged scheduled attempt. */
  last?: MessageAttempt | undefined;
}

/** One attempt to log, with the status of its (message, endpoint) to store, or null for none. */
export interface AttemptRecord {
  attempt: MessageAttempt;
  status: DeliveryStatus | null;
}

export interface AttemptStore {
  /** recordAll() of one attempt. */
  record(attempt: MessageAttempt, status: DeliveryStatus | null): Promise<void>;
  /**
   * Logs attempts (a delivery batch's) and the statuses that are not null. Null is for the common
   * case with nothing to track: a first scheduled attempt that succeeded. The attempts of one message
   * share one index entry (adapters/dynamo/attempts.ts), so logging a batch together is cheaper than
   * one by one.
   */
  recordAll(records: readonly AttemptRecord[]): Promise<void>;
  /** The status of one (message, endpoint), read consistently; undefined when none was recorded. */
  getStatus(appId: string, endpointId: string, msgId: string): Promise<DeliveryStatus | undefined>;
  /**
   * Reserves a throttle slot for a task that is held back (no attempt made): stores the slot in the
   * status, creating a Pending status if there is none.
   */
  holdForThrottle(appId: string, endpointId: string, msgId: string, slotMs: number, taskId: string): Promise<void>;
  /** Counts the logged attempts of one (message, endpoint) (the message's attempt index, read consistently). */
  history(appId: string, msgId: string, endpointId: string): Promise<AttemptHistory>;
  listByEndpoint(appId: string, endpointId: string, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>>;
  listByMessage(appId: string, msgId: string, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>>;
  /** Delivery statuses of an endpoint's messages whose ids lie in [lowerMsgId, upperMsgId]. */
  statusesForEndpoint(appId: string, endpointId: string, lowerMsgId: string, upperMsgId: string): Promise<DeliveryStatus[]>;
  /** The statuses that exist among `msgIds` for one endpoint (eventually consistent BatchGetItem, one per 100). */
  statusesOf(appId: string, endpointId: string, msgIds: readonly string[]): Promise<DeliveryStatus[]>;
  /** The statuses that exist of one message for each of `endpointIds` (eventually consistent BatchGetItem). */
  statusesOfMessage(appId: string, msgId: string, endpointIds: readonly string[]): Promise<DeliveryStatus[]>;
  /** One attempt of a message, found through the message's attempt index. */
  getForMessage(appId: string, msgId: string, attemptId: string): Promise<MessageAttempt | undefined>;
  /** Every logged attempt of a message, to every endpoint, oldest first (bounded by fan-out × schedule). */
  allForMessage(appId: string, msgId: string): Promise<MessageAttempt[]>;
  /** Replaces the stored response body (expunge). NotFoundError if it is gone. */
  replaceResponse(attempt: MessageAttempt, response: string): Promise<void>;
  /**
   * Reads an endpoint's attempt log page by page (each at most 1 MB or `pageSize` items) within a key range, newest or
   * oldest first; the caller stops iterating when it has read enough (each page read costs its size).
   */
  walkByEndpoint(
    appId: string,
    endpointId: string,
    range: Pick<PageQuery, 'order' | 'from' | 'lower' | 'upper'>,
    filter: AttemptFilter,
    /** Items read per Query page (before the filter); absent: as many as fit in 1 MB. */
    pageSize?: number,
  ): AsyncIterable<MessageAttempt[]>;
}

export interface IdempotencyRecord {
  state: 'in-progress' | 'done';
  status?: number;
  body?: string;
}

export interface IdempotencyStore {
  /**
   * Claims `key` for a request: returns undefined if this caller now owns it, or the existing
   * record (in progress, or done with the response to replay).
   */
  claim(key: string, lockSeconds: number, ttlSeconds: number): Promise<IdempotencyRecord | undefined>;
  complete(key: string, status: number, body: string, ttlSeconds: number): Promise<void>;
  /** Drops a claim whose request failed, so a retry can run it again. */
  release(key: string): Promise<void>;
}

/** An application-scoped API token (app portal access), stored by the sha256 of the token only. */
export interface AppTokenRecord {
  /** sha256 (hex) of the bearer token; the token itself is never stored. */
  hash: string;
  appId: string;
  /** What the token may do (functions/core/auth/app-tokens.ts). */
  capabilities: string[];
  featureFlags: string[];
  sessionId: string | null;
  createdAt: string;
  /** ISO time after which the token is refused (the item's TTL also removes it, lazily). */
  expiry: string;
}

export interface AppTokenStore {
  put(token: AppTokenRecord): Promise<void>;
  get(hash: string): Promise<AppTokenRecord | undefined>;
  delete(hash: string): Promise<void>;
  /** Deletes the app's tokens (only those of `sessionIds` when given); returns how many. */
  deleteForApp(appId: string, sessionIds?: readonly string[]): Promise<number>;
}

export interface BackgroundTaskFilter {
  /** Only this application's tasks (app tokens); absent: every application's (admin). */
  appId?: string;
  status?: BackgroundTaskStatus;
  task?: BackgroundTaskKind;
}

export interface BackgroundTaskStore {
  put(task: BackgroundTask): Promise<void>;
  get(taskId: string): Promise<BackgroundTask | undefined>;
  /** Sets the status and merges `data` into the task's data. */
  settle(taskId: string, status: BackgroundTaskStatus, data: Record<string, unknown>, updatedAt: string): Promise<void>;
  /** Keys are task ids (they sort by time). */
  list(query: PageQuery, filter: BackgroundTaskFilter): Promise<Slice<BackgroundTask>>;
}

export interface Stores {
  applications: ApplicationStore;
  eventTypes: EventTypeStore;
  endpoints: EndpointStore;
  messages: MessageStore;
  attempts: AttemptStore;
  idempotency: IdempotencyStore;
  /** App-scoped tokens (app portal access). Optional so hand-built Stores in tests need not provide it. */
  appTokens?: AppTokenStore;
  /** Background tasks (recover). Optional so hand-built Stores in tests need not provide it. */
  backgroundTasks?: BackgroundTaskStore;
}
