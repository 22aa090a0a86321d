/** Applications: items in the APP partition plus an APPUID index kept in step by transactions. */
import { DeleteItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Application } from '../../core/model.ts';
import type { ApplicationStore } from '../../core/ports.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { isId } from '../../core/ids.ts';
import { decode, itemOf, keyOf } from './codec.ts';
import { conditionFailedAt, ignoreConditionFailure, onConditionFailure } from './errors.ts';
import { key, partition } from './keys.ts';
import { queryPage } from './paging.ts';
import { getItem, onTable, resolveIndex, type Table } from './table.ts';

const UID_TAKEN = 'An application with that id or uid already exists';

/** What deleting an app needs from the endpoint store. */
export interface EndpointCleanup {
  deleteAll(appId: string): Promise<void>;
}

export function createApplicationStore(table: Table, endpoints: EndpointCleanup): ApplicationStore {
  const put = (app: Application, condition: string): TransactWriteItem => ({
    Put: { TableName: table.name, Item: itemOf(key.application(app.id), app), ConditionExpression: condition },
  });
  const claimUid = (appId: string, uid: string): TransactWriteItem => ({
    Put: {
      TableName: table.name,
      Item: itemOf(key.applicationUid(uid), { appId }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const transact = (items: TransactWriteItem[]) =>
    table.client.send(new TransactWriteItemsCommand({ TransactItems: items }));

  async function getById(appId: string): Promise<Application | undefined> {
    const item = await getItem(table, key.application(appId));
    return item && decode<Application>(item);
  }

  /** A Put of the whole item; without the mark in `previous`, only while the stored item has none either. */
  async function writeUpdate(app: Application, previous: Application): Promise<void> {
    const condition = previous.orderedDelivery === true ? 'attribute_exists(pk)' : 'attribute_exists(pk) AND attribute_not_exists(orderedDelivery)';
    const items = [put(app, condition)];
    if (app.uid !== previous.uid) {
      if (app.uid !== null) items.push(claimUid(app.id, app.uid));
      if (previous.uid !== null) {
        items.push({ Delete: { TableName: table.name, Key: keyOf(key.applicationUid(previous.uid)) } });
      }
    }
    await onConditionFailure(transact(items), (error) =>
      conditionFailedAt(error, 0) ? new NotFoundError() : new ConflictError(UID_TAKEN),
    );
  }

  return {
    async create(app) {
      const items = [put(app, 'attribute_not_exists(pk)')];
      if (app.uid !== null) items.push(claimUid(app.id, app.uid));
      await onConditionFailure(transact(items), () => new ConflictError(UID_TAKEN));
    },

    async get(idOrUid) {
      if (isId('application', idOrUid)) return getById(idOrUid);
      const appId = await resolveIndex(table, key.applicationUid(idOrUid), 'appId');
      return appId === undefined ? undefined : getById(appId);
    },

    async update(app, previous) {
      try {
        await writeUpdate(app, previous);
      } catch (error) {
        // markOrdered may have set the mark after `previous` was read: this Put must not drop it
        // (ordered fan-out would stop). The mark is never cleared, so one retry with it suffices.
        if (!(error instanceof NotFoundError) || previous.orderedDelivery === true) throw error;
        const current = await getById(app.id);
        if (current?.orderedDelivery !== true) throw error;
        await writeUpdate({ ...app, orderedDelivery: true }, { ...previous, orderedDelivery: true });
      }
    },

    async markOrdered(appId) {
      await onConditionFailure(
        table.client.send(
          new UpdateItemCommand({
            TableName: table.name,
            Key: keyOf(key.application(appId)),
            UpdateExpression: 'SET orderedDelivery = :true',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':true': { BOOL: true } },
          }),
        ),
        () => new NotFoundError(),
      );
    },

    async delete(app) {
      // Endpoints first: if this fails half-way the app is still there and the delete can be retried.
      await endpoints.deleteAll(app.id);
      await table.client.send(new DeleteItemCommand({ TableName: table.name, Key: keyOf(key.application(app.id)) }));
      if (app.uid !== null) {
        // Only our own entry: with a stale `app` the uid may already belong to another app.
        await ignoreConditionFailure(
          table.client.send(
            new DeleteItemCommand({
              TableName: table.name,
              Key: keyOf(key.applicationUid(app.uid)),
              ConditionExpression: 'appId = :appId',
              ExpressionAttributeValues: { ':appId': { S: app.id } },
            }),
          ),
        );
      }
    },

    async list(query) {
      const page = await queryPage(onTable(table, partition.applications), query);
      return { items: page.items.map((item) => decode<Application>(item)), more: page.more };
    },
  };
}
