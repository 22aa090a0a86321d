/**
 * The whole key layout of the single table (functions/shared/names.ts TABLE), defined once.
 *
 * | item                  | pk                          | sk            | gsi1pk                   | gsi1sk       | expiresAt          |
 * | --------------------- | --------------------------- | ------------- | ------------------------ | ------------ | ------------------ |
 * | Application           | APP                         | <appId>       |                          |              |                    |
 * | app uid index         | APPUID                      | <uid>         |                          |              |                    |
 * | EventType             | ET                          | <name>        |                          |              |                    |
 * | Endpoint              | EP#<appId>                  | <endpointId>  |                          |              |                    |
 * | endpoint uid index    | EPUID#<appId>               | <uid>         |                          |              |                    |
 * | Message (+ payload¹)  | MSG#<appId>                 | <msgId>       |                          |              | payloadExpiresAt   |
 * | message eventId index | MSGEVT#<appId>              | <eventId>     |                          |              | payloadExpiresAt   |
 * | MessageAttempt        | ATT#<appId>#<endpointId>    | <attemptId>   |                          |              |                    |
 * | message's attempts    | ATTIDX#<appId>#<msgId>      | <attemptId>   |                          |              |                    |
 * | (before 2026-12) att. | ATT#<appId>#<endpointId>    | <attemptId>   | ATTMSG#<appId>#<msgId>   | <attemptId>  |                    |
 * | DeliveryStatus        | DEST#<appId>#<endpointId>   | <msgId>       |                          |              |                    |
 * | idempotency record    | IDEM#<key>                  | IDEM          |                          |              | now + ttlSeconds   |
 * | message payload²      | MSGPAY#<appId>              | <msgId>       |                          |              | payloadExpiresAt   |
 * | endpoint health       | EPHEALTH#<appId>            | <endpointId>  |                          |              |                    |
 * | endpoint throttle     | EPTHROTTLE#<appId>          | <endpointId>  |                          |              | last claim + 1 day |
 * | app-scoped token      | TOKEN#<sha256 of the token> | TOKEN         | APPTOKENS#<appId>        | <hash>       | token expiry       |
 * | background task       | BGTASK                      | <taskId>      | BGTASKAPP#<appId>        | <taskId>     | created + 90 days  |
 *
 * Why this shape:
 * - Every sort key is the bare id or name the API pages by, so a PageQuery's cursor and bounds are
 *   sort-key conditions as they are (ids are KSUIDs: they sort by time).
 * - uids, eventIds and names match `[A-Za-z0-9-_.]`, ids have no `#`: the `#`-joined partition keys
 *   cannot collide.
 * - Index items (uid, eventId) hold only the id they point to; writes keep them in step inside the
 *   same TransactWriteItems, whose attribute_not_exists conditions enforce uniqueness.
 * - Applications and event types each live in one partition (APP, ET). Both are small, admin-rate
 *   collections, far below the per-partition limits; it makes listing a single ordered Query.
 * - Attempts are written once, under their endpoint (the by-endpoint list is a Query). A message's
 *   attempts are found through ATTIDX items: one per message per delivery batch, holding a compact
 *   line per attempt of that batch (id, endpoint, status, code, trigger), so the by-message list costs
 *   a fraction of a write per attempt instead of a full gsi1 copy (adapters/dynamo/attempts.ts).
 *   Attempts written before that layout still carry gsi1 keys and are read through gsi1 too.
 *   Expiry uses the table's TTL attribute (epoch seconds).
 * - ¹ A payload kept as long as its record (the default 90 days) lives inline in the record: one item
 *   to write and to read. ² A shorter retention puts it in its own MSGPAY item whose TTL is the
 *   retention period, so DynamoDB's TTL purges the payload and leaves the message record (MSG, kept at
 *   least 90 days) in the lists. Messages stored before 2026-12 always have the MSGPAY item.
 * - Background tasks (recover's `qtask_…`) are rare, admin-rate items: one partition lists them all
 *   for the admin token, gsi1 lists one application's for its app tokens.
 * - Endpoint health (auto-disable) and throttle state are one small item per endpoint each, apart from
 *   the endpoint item, so the hot paths update a few bytes without touching the endpoint's settings.
 */
import { createHash } from 'node:crypto';
import { TABLE } from '../../shared/names.ts';

export const PK = TABLE.partitionKey;
export const SK = TABLE.sortKey;
export const GSI1 = TABLE.gsi1;
export const TTL = TABLE.ttlAttribute;

/** Attributes that belong to the table, not to the domain: stripped on every read. */
export const TABLE_ATTRIBUTES: readonly string[] = [PK, SK, GSI1.partitionKey, GSI1.sortKey, TTL];

export interface Key {
  pk: string;
  sk: string;
}

/** Partition keys of the collections that are listed with Query. */
export const partition = {
  applications: 'APP',
  applicationUids: 'APPUID',
  eventTypes: 'ET',
  endpoints: (appId: string) => `EP#${appId}`,
  endpointUids: (appId: string) => `EPUID#${appId}`,
  messages: (appId: string) => `MSG#${appId}`,
  messageEventIds: (appId: string) => `MSGEVT#${appId}`,
  attemptsByEndpoint: (appId: string, endpointId: string) => `ATT#${appId}#${endpointId}`,
  /** A message's attempt index items (one per delivery batch that attempted it). */
  attemptIndex: (appId: string, msgId: string) => `ATTIDX#${appId}#${msgId}`,
  /** gsi1pk of the attempts written before the ATTIDX layout (read, never written). */
  legacyAttemptsByMessage: (appId: string, msgId: string) => `ATTMSG#${appId}#${msgId}`,
  statuses: (appId: string, endpointId: string) => `DEST#${appId}#${endpointId}`,
  messagePayloads: (appId: string) => `MSGPAY#${appId}`,
  endpointHealth: (appId: string) => `EPHEALTH#${appId}`,
  endpointThrottle: (appId: string) => `EPTHROTTLE#${appId}`,
  /** gsi1pk: an app's tokens (expire-all). */
  appTokensByApp: (appId: string) => `APPTOKENS#${appId}`,
  backgroundTasks: 'BGTASK',
  /** gsi1pk: an app's background tasks. */
  backgroundTasksByApp: (appId: string) => `BGTASKAPP#${appId}`,
} as const;

/** DynamoDB allows 2048 bytes of partition key; long idempotency keys are hashed to stay below it. */
const MAX_IDEMPOTENCY_KEY_BYTES = 1024;

function idempotencyPartition(key: string): string {
  if (Buffer.byteLength(key) <= MAX_IDEMPOTENCY_KEY_BYTES) return `IDEM#${key}`;
  return `IDEM#sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export const key = {
  application: (appId: string): Key => ({ pk: partition.applications, sk: appId }),
  applicationUid: (uid: string): Key => ({ pk: partition.applicationUids, sk: uid }),
  eventType: (name: string): Key => ({ pk: partition.eventTypes, sk: name }),
  endpoint: (appId: string, endpointId: string): Key => ({ pk: partition.endpoints(appId), sk: endpointId }),
  endpointUid: (appId: string, uid: string): Key => ({ pk: partition.endpointUids(appId), sk: uid }),
  message: (appId: string, msgId: string): Key => ({ pk: partition.messages(appId), sk: msgId }),
  messageEventId: (appId: string, eventId: string): Key => ({ pk: partition.messageEventIds(appId), sk: eventId }),
  attempt: (appId: string, endpointId: string, attemptId: string): Key => ({
    pk: partition.attemptsByEndpoint(appId, endpointId),
    sk: attemptId,
  }),
  /** Keyed by the smallest attempt id of the batch it indexes. */
  attemptIndex: (appId: string, msgId: string, firstAttemptId: string): Key => ({
    pk: partition.attemptIndex(appId, msgId),
    sk: firstAttemptId,
  }),
  status: (appId: string, endpointId: string, msgId: string): Key => ({
    pk: partition.statuses(appId, endpointId),
    sk: msgId,
  }),
  idempotency: (idempotencyKey: string): Key => ({ pk: idempotencyPartition(idempotencyKey), sk: 'IDEM' }),
  messagePayload: (appId: string, msgId: string): Key => ({ pk: partition.messagePayloads(appId), sk: msgId }),
  endpointHealth: (appId: string, endpointId: string): Key => ({ pk: partition.endpointHealth(appId), sk: endpointId }),
  endpointThrottle: (appId: string, endpointId: string): Key => ({ pk: partition.endpointThrottle(appId), sk: endpointId }),
  /** Keyed by the token's sha256 (hex): a table dump holds no usable token. */
  appToken: (hash: string): Key => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  backgroundTask: (taskId: string): Key => ({ pk: partition.backgroundTasks, sk: taskId }),
} as const;

/** ISO timestamp → epoch seconds, the unit DynamoDB TTL reads. */
export function epochSeconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}
