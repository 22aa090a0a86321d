/** Endpoints: items in EP#<appId> plus an EPUID#<appId> index kept in step by transactions. */
import { DeleteItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type TransactWriteItem, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Endpoint } from '../../core/model.ts';
import type { EndpointStore } from '../../core/ports.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { batchWrite } from './batch.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { conditionFailedAt, ignoreConditionFailure, onConditionFailure } from './errors.ts';
import { key, partition } from './keys.ts';
import { queryAll, queryPage } from './paging.ts';
import { endpointSealing } from './sealed-secrets.ts';
import { getItem, onTable, resolveIndex, type Table } from './table.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';

const UID_TAKEN = 'An endpoint with that id or uid already exists';

/** `cipher`: endpoint secrets are sealed at rest (see ./sealed-secrets.ts); without one they are stored plain. */
export function createEndpointStore(table: Table, cipher?: SecretCipher): EndpointStore & { deleteAll(appId: string): Promise<void> } {
  const sealing = endpointSealing(cipher);
  const put = async (endpoint: Endpoint, condition: string): Promise<TransactWriteItem> => ({
    Put: {
      TableName: table.name,
      Item: itemOf(key.endpoint(endpoint.appId, endpoint.id), await sealing.seal(endpoint)),
      ConditionExpression: condition,
    },
  });
  const open = (item: Parameters<typeof decode>[0]): Promise<Endpoint> => sealing.open(decode<Record<string, unknown>>(item));
  const claimUid = (endpoint: Endpoint, uid: string): TransactWriteItem => ({
    Put: {
      TableName: table.name,
      Item: itemOf(key.endpointUid(endpoint.appId, uid), { endpointId: endpoint.id }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const transact = (items: TransactWriteItem[]) =>
    table.client.send(new TransactWriteItemsCommand({ TransactItems: items }));

  async function getById(appId: string, endpointId: string, consistent = true): Promise<Endpoint | undefined> {
    const item = await getItem(table, key.endpoint(appId, endpointId), consistent);
    return item && open(item);
  }

  /** Every endpoint of the app; consistent so fan-out sees an endpoint created just before a message. */
  async function all(appId: string): Promise<Endpoint[]> {
    const items = await queryAll(onTable(table, partition.endpoints(appId), true));
    return Promise.all(items.map(open));
  }

  return {
    async setSlowUntil(appId, endpointId, until) {
      // Only this attribute: an edit made meanwhile by the API is not overwritten.
      await ignoreConditionFailure(
        table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.endpoint(appId, endpointId)),
            UpdateExpression: until === null ? 'REMOVE slowUntil' : 'SET slowUntil = :until',
            ConditionExpression: 'attribute_exists(pk)',
            ...(until === null ? {} : { ExpressionAttributeValues: { ':until': { S: until } } }),
          }),
        ),
      );
    },

    async create(endpoint) {
      const items = [await put(endpoint, 'attribute_not_exists(pk)')];
      if (endpoint.uid !== null) items.push(claimUid(endpoint, endpoint.uid));
      await onConditionFailure(transact(items), () => new ConflictError(UID_TAKEN));
    },

    async get(appId, idOrUid, options = {}) {
      const consistent = options.consistent ?? true;
      if (isId('endpoint', idOrUid)) return getById(appId, idOrUid, consistent);
      const endpointId = await resolveIndex(table, key.endpointUid(appId, idOrUid), 'endpointId');
      return endpointId === undefined ? undefined : getById(appId, endpointId, consistent);
    },

    async update(endpoint, previous) {
      // Every write of the settings is a new revision: fan-out puts the revision it read in each delivery
      // task, and a delivery worker's cached copy serves only tasks of its revision or older (core/delivery/).
      const revised = { ...endpoint, revision: (previous.revision ?? 0) + 1 };
      const items = [await put(revised, 'attribute_exists(pk)')];
      if (previous.disabled && !endpoint.disabled) {
        // Re-enabled: a run of failures from before (auto-disable's health item) must not count, or the
        // next failure would disable the endpoint again at once.
        items.push({ Delete: { TableName: table.name, Key: keyOf(key.endpointHealth(endpoint.appId, endpoint.id)) } });
      }
      if (endpoint.uid !== previous.uid) {
        if (endpoint.uid !== null) items.push(claimUid(endpoint, endpoint.uid));
        if (previous.uid !== null) {
          items.push({ Delete: { TableName: table.name, Key: keyOf(key.endpointUid(previous.appId, previous.uid)) } });
        }
      }
      await onConditionFailure(transact(items), (error) =>
        conditionFailedAt(error, 0) ? new NotFoundError() : new ConflictError(UID_TAKEN),
      );
    },

    async delete(endpoint) {
      await table.client.send(
        new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.endpoint(endpoint.appId, endpoint.id)) }),
      );
      if (endpoint.uid !== null) {
        // Only our own entry: with a stale `endpoint` the uid may already belong to another one.
        await ignoreConditionFailure(
          table.client.send(
            new DeleteItemCommand({
              TableName: table.name,
              Key: keyOf(key.endpointUid(endpoint.appId, endpoint.uid)),
              ConditionExpression: 'endpointId = :id',
              ExpressionAttributeValues: { ':id': { S: endpoint.id } },
            }),
          ),
        );
      }
    },

    async list(appId, query) {
      const page = await queryPage(onTable(table, partition.endpoints(appId)), query);
      return { items: await Promise.all(page.items.map(open)), more: page.more };
    },

    all,

    /** Deletes every endpoint of an app and their uid entries (application delete). */
    async deleteAll(appId) {
      const requests: WriteRequest[] = [];
      for (const endpoint of await all(appId)) {
        requests.push({ DeleteRequest: { Key: keyOf(key.endpoint(appId, endpoint.id)) } });
        if (endpoint.uid !== null) requests.push({ DeleteRequest: { Key: keyOf(key.endpointUid(appId, endpoint.uid)) } });
      }
      await batchWrite(table.client, table.name, requests);
    },
  };
}
