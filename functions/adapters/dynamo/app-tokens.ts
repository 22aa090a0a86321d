/**
 * App-scoped tokens: one item per token under TOKEN#<sha256 of the token>, projected into gsi1 under
 * APPTOKENS#<appId> for "expire all of an app's tokens". The bearer token itself is never stored, so
 * a table dump (or backup) holds nothing that authenticates. The TTL attribute removes an item after
 * its expiry; reads also check the expiry, since TTL deletion lags.
 */
import { DeleteItemCommand, PutItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { AppTokenRecord, AppTokenStore } from '../../core/ports.ts';
import { batchWrite } from './batch.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { GSI1, TTL, epochSeconds, key, partition } from './keys.ts';
import { queryAll } from './paging.ts';
import { getItem, onGsi1, type Table } from './table.ts';

export function createAppTokenStore(table: Table): AppTokenStore {
  return {
    async put(token) {
      await table.client.send(
        new PutItemCommand({
          TableName: table.name,
          Item: itemOf(key.appToken(token.hash), token, {
            [GSI1.partitionKey]: partition.appTokensByApp(token.appId),
            [GSI1.sortKey]: token.hash,
            [TTL]: epochSeconds(token.expiry),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(hash) {
      const item = await getItem(table, key.appToken(hash));
      return item && decode<AppTokenRecord>(item);
    },

    async delete(hash) {
      await table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.appToken(hash)) }));
    },

    async deleteForApp(appId, sessionIds) {
      const items = (await queryAll(onGsi1(table, partition.appTokensByApp(appId)))).map((item) => decode<AppTokenRecord>(item));
      const doomed = sessionIds === undefined ? items : items.filter((t) => t.sessionId !== null && sessionIds.includes(t.sessionId));
      const requests: WriteRequest[] = doomed.map((t) => ({ DeleteRequest: { Key: keyOf(key.appToken(t.hash)) } }));
      await batchWrite(table.client, table.name, requests);
      return doomed.length;
    },
  };
}
