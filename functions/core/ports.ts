/**
 * The small interfaces the domain needs from the outside world. Adapters (functions/adapters/)
 * implement them with the AWS SDK; they translate SDK exceptions into the errors of ./errors.ts
 * (e.g. a failed uniqueness condition becomes ConflictError).
 */
import type {
  Application,
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
  get(appId: string, idOrUid: string): Promise<Endpoint | undefined>;
  update(endpoint: Endpoint, previous: Endpoint): Promise<void>;
  delete(endpoint: Endpoint): Promise<void>;
  list(appId: string, query: PageQuery): Promise<Slice<Endpoint>>;
  /** Every endpoint of the app (fan-out). */
  all(appId: string): Promise<Endpoint[]>;
}

export interface MessageFilter {
  channel?: string;
  eventTypes?: string[];
  tag?: string;
}

export interface MessageStore {
  /** ConflictError if `eventId` is already used within the app. */
  create(message: Message): Promise<void>;
  /** Looks up by id (`msg_…`) or by eventId, within the app. */
  get(appId: string, idOrEventId: string): Promise<Message | undefined>;
  /** Removes the message and its eventId entry (undoes a publish whose fan-out task could not be queued). */
  delete(message: Message): Promise<void>;
  list(appId: string, query: PageQuery, filter: MessageFilter): Promise<Slice<Message>>;
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

export interface AttemptStore {
  /** Records an attempt and the message's status for that endpoint. */
  record(attempt: MessageAttempt, status: DeliveryStatus): Promise<void>;
  listByEndpoint(appId: string, endpointId: string, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>>;
  listByMessage(appId: string, msgId: string, query: PageQuery, filter: AttemptFilter): Promise<Slice<MessageAttempt>>;
  /** Delivery statuses of an endpoint's messages whose ids lie in [lowerMsgId, upperMsgId]. */
  statusesForEndpoint(appId: string, endpointId: string, lowerMsgId: string, upperMsgId: string): Promise<DeliveryStatus[]>;
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

export interface Stores {
  applications: ApplicationStore;
  eventTypes: EventTypeStore;
  endpoints: EndpointStore;
  messages: MessageStore;
  attempts: AttemptStore;
  idempotency: IdempotencyStore;
}
