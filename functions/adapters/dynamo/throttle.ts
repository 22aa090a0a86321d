/**
 * The throttle's shared state (core/throttle/throttle.ts): one item per endpoint holding `nextFreeMs`, the
 * earliest start of the next send. A claim is a conditional UpdateItem for an idle endpoint, else an
 * atomic ADD whose result is the claimed slot: never a retry loop.
 */
import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ThrottleStore } from '../../core/throttle/throttle.ts';
import { keyOf } from './codec.ts';
import { TTL, key } from './keys.ts';
import type { Table } from './table.ts';

/** The item outlives its last claim by a day, then TTL removes it (an idle endpoint needs no state). */
const IDLE_TTL_SECONDS = 86_400;

export function createThrottleStore(table: Table): ThrottleStore {
  const itemKey = (appId: string, endpointId: string) => keyOf(key.endpointThrottle(appId, endpointId));
  const ttl = (ms: number) => ({ N: String(Math.floor(ms / 1000) + IDLE_TTL_SECONDS) });

  return {
    async claim(appId, endpointId, nowMs, intervalMs) {
      try {
        // Idle endpoint: the slot is now.
        await table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: itemKey(appId, endpointId),
            UpdateExpression: 'SET nextFreeMs = :next, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(nextFreeMs) OR nextFreeMs <= :now',
            ExpressionAttributeNames: { '#ttl': TTL },
            ExpressionAttributeValues: { ':next': { N: String(nowMs + intervalMs) }, ':now': { N: String(nowMs) }, ':ttl': ttl(nowMs) },
          }),
        );
        return nowMs;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      // Busy endpoint (next free slot is later than now): take it and move it on, atomically.
      const out = await table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: itemKey(appId, endpointId),
          UpdateExpression: 'ADD nextFreeMs :interval SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': TTL },
          ExpressionAttributeValues: { ':interval': { N: String(intervalMs) }, ':ttl': ttl(nowMs) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.nextFreeMs?.N) - intervalMs;
    },
  };
}
