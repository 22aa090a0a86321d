/**
 * The throttle's shared state (core/throttle.ts): one item per endpoint holding `nextFreeMs`, the
 * earliest start of the next send. A claim is one conditional UpdateItem; a lost race returns the
 * current value (ReturnValuesOnConditionCheckFailure), so the loser needs no extra read.
 */
import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ThrottleStore } from '../../core/throttle.ts';
import { keyOf } from './codec.ts';
import { TTL, key } from './keys.ts';
import type { Table } from './table.ts';

/** The item outlives its last claim by a day, then TTL removes it (an idle endpoint needs no state). */
const IDLE_TTL_SECONDS = 86_400;

export function createThrottleStore(table: Table): ThrottleStore {
  return {
    async claim(appId, endpointId, slotMs, nextMs) {
      try {
        await table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.endpointThrottle(appId, endpointId)),
            UpdateExpression: 'SET nextFreeMs = :next, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(nextFreeMs) OR nextFreeMs <= :slot',
            ExpressionAttributeNames: { '#ttl': TTL },
            ExpressionAttributeValues: {
              ':next': { N: String(nextMs) },
              ':slot': { N: String(slotMs) },
              ':ttl': { N: String(Math.floor(nextMs / 1000) + IDLE_TTL_SECONDS) },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const current = Number(error.Item?.nextFreeMs?.N);
        return { claimed: false, nextFreeMs: Number.isFinite(current) ? current : nextMs };
      }
    },
  };
}
