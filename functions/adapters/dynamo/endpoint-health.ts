/**
 * Endpoint health for auto-disable (core/endpoints/health.ts): an EPHEALTH item per endpoint holding
 * `failingSince` while a run of failures lasts. Disabling flips the endpoint item's `disabled` flag
 * with an UpdateItem (only that flag and updatedAt; the rest of the endpoint is not rewritten) in one
 * transaction with ending the run, so a re-enabled endpoint starts with a clean slate.
 */
import { ReturnValue, TransactWriteItemsCommand, UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { EndpointHealthStore } from '../../core/endpoints/health.ts';
import { keyOf, stringAttr } from './codec.ts';
import { ignoreConditionFailure, isConditionFailure } from './errors.ts';
import { key } from './keys.ts';
import { getItem, type Table } from './table.ts';

export function createEndpointHealthStore(table: Table): EndpointHealthStore {
  return {
    async failingSince(appId, endpointId) {
      // Eventually consistent (half the read cost): callers cache it for up to a minute anyway.
      return stringAttr(await getItem(table, key.endpointHealth(appId, endpointId), false), 'failingSince') ?? null;
    },

    async markFailing(appId, endpointId, at) {
      const out = await table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
          Key: keyOf(key.endpointHealth(appId, endpointId)),
          UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at)',
          ExpressionAttributeValues: { ':at': { S: at } },
          ReturnValues: ReturnValue.UPDATED_NEW,
        }),
      );
      return stringAttr(out.Attributes, 'failingSince') ?? at;
    },

    async markHealthy(appId, endpointId, at) {
      await ignoreConditionFailure(
        table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.endpointHealth(appId, endpointId)),
            UpdateExpression: 'REMOVE failingSince SET lastSuccessAt = :at',
            ConditionExpression: 'attribute_exists(failingSince)',
            ExpressionAttributeValues: { ':at': { S: at } },
          }),
        ),
      );
    },

    async disable(appId, endpointId, failingSince, at) {
      const endEndpoint: TransactWriteItem = {
        Update: {
          TableName: table.name,
          Key: keyOf(key.endpoint(appId, endpointId)),
          UpdateExpression: 'SET disabled = :true, updatedAt = :at ADD revision :one',
          ConditionExpression: 'attribute_exists(pk) AND disabled = :false',
          ExpressionAttributeValues: { ':true': { BOOL: true }, ':false': { BOOL: false }, ':at': { S: at }, ':one': { N: '1' } },
        },
      };
      const endRun: TransactWriteItem = {
        Update: {
          TableName: table.name,
          Key: keyOf(key.endpointHealth(appId, endpointId)),
          UpdateExpression: 'REMOVE failingSince SET disabledAt = :at',
          ...(failingSince === null
            ? { ExpressionAttributeValues: { ':at': { S: at } } }
            : {
                ConditionExpression: 'failingSince = :since',
                ExpressionAttributeValues: { ':at': { S: at }, ':since': { S: failingSince } },
              }),
        },
      };
      try {
        await table.client.send(new TransactWriteItemsCommand({ TransactItems: [endEndpoint, endRun] }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
