/**
 * Idempotency records (IDEM#<key>): a conditional put claims a key; the loser gets the existing
 * record back from the same call (ReturnValuesOnConditionCheckFailure=ALL_OLD), so a claim is one
 * round trip whoever wins. DynamoDB serialises conditional writes per item: of two concurrent claims
 * exactly one succeeds.
 *
 * Item: state ('in-progress' | 'done'), lockedUntil (epoch ms: a crashed claimant's lock lapses),
 * status and body once done, expiresAt (TTL, epoch s). TTL deletion lags by up to days, so an expired
 * record is treated as absent by the claim condition itself.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../core/ports.ts';
import { decodeRaw, itemOf, keyOf } from './codec.ts';
import { ignoreConditionFailure, isConditionFailure } from './errors.ts';
import { TTL, key } from './keys.ts';
import type { Table } from './table.ts';

const IN_PROGRESS = 'in-progress';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function toRecord(raw: Record<string, unknown>): IdempotencyRecord {
  const record: IdempotencyRecord = { state: raw['state'] === 'done' ? 'done' : IN_PROGRESS };
  if (typeof raw['status'] === 'number') record.status = raw['status'];
  if (typeof raw['body'] === 'string') record.body = raw['body'];
  return record;
}

export function createIdempotencyStore(table: Table): IdempotencyStore {
  return {
    async claim(idempotencyKey, lockSeconds, ttlSeconds) {
      const now = Date.now();
      try {
        await table.client.send(
          new PutItemCommand({
            TableName: table.name,
            Item: itemOf(key.idempotency(idempotencyKey), {
              state: IN_PROGRESS,
              lockedUntil: now + lockSeconds * 1000,
              [TTL]: nowSeconds() + ttlSeconds,
            }),
            ConditionExpression:
              'attribute_not_exists(pk) OR #ttl < :nowSeconds OR (#state = :inProgress AND lockedUntil < :nowMs)',
            ExpressionAttributeNames: { '#ttl': TTL, '#state': 'state' },
            ExpressionAttributeValues: {
              ':nowSeconds': { N: String(nowSeconds()) },
              ':nowMs': { N: String(now) },
              ':inProgress': { S: IN_PROGRESS },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return undefined;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const old = error instanceof ConditionalCheckFailedException ? error.Item : undefined;
        // Without the old item (not expected) the safe answer is "someone else is on it".
        return old === undefined ? { state: IN_PROGRESS } : toRecord(decodeRaw(old));
      }
    },

    async complete(idempotencyKey, status, body, ttlSeconds) {
      await table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: itemOf(key.idempotency(idempotencyKey), { state: 'done', status, body, [TTL]: nowSeconds() + ttlSeconds }),
        }),
      );
    },

    async release(idempotencyKey) {
      // Only an in-progress claim: a completed response must stay to be replayed.
      await ignoreConditionFailure(
        table.client.send(
          new DeleteItemCommand({
            TableName: table.name,
            Key: keyOf(key.idempotency(idempotencyKey)),
            ConditionExpression: '#state = :inProgress',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':inProgress': { S: IN_PROGRESS } },
          }),
        ),
      );
    },
  };
}
