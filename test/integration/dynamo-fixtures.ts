/** DynamoDB Local + the table + the stores, and domain-object factories, for the dynamo-* tests. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoStores } from '../../functions/adapters/dynamo/index.ts';
import type { Application, Endpoint, EventType, Message, MessageAttempt } from '../../functions/core/model.ts';
import type { Stores } from '../../functions/core/ports.ts';
import { newId } from '../../functions/core/ids.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { startDynamoDbLocal } from '../../local/emulators/dynamodb-local.ts';
import { ensureTable } from '../../local/resources.ts';

export interface DynamoHarness {
  client: DynamoDBClient;
  stores: Stores;
  tableName: string;
  stop(): Promise<void>;
}

export async function startDynamoStores(tableName = 'sluice-test'): Promise<DynamoHarness> {
  const local = await startDynamoDbLocal();
  const client = new DynamoDBClient({ endpoint: local.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  return {
    client,
    stores: createDynamoStores(client, tableName),
    tableName,
    async stop() {
      client.destroy();
      await local.stop();
    },
  };
}

const now = (): string => new Date().toISOString();

export function anApp(overrides: Partial<Application> = {}): Application {
  return {
    id: newId('application'),
    uid: null,
    name: 'Acme',
    throttleRate: null,
    metadata: {},
    createdAt: now(),
    updatedAt: now(),
    ...overrides,
  };
}

export function anEventType(name: string, overrides: Partial<EventType> = {}): EventType {
  return {
    name,
    description: `${name} happened`,
    archived: false,
    deprecated: false,
    schemas: null,
    groupName: null,
    featureFlags: null,
    createdAt: now(),
    updatedAt: now(),
    ...overrides,
  };
}

export function anEndpoint(appId: string, overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id: newId('endpoint'),
    appId,
    uid: null,
    url: 'https://example.com/hook',
    description: '',
    disabled: false,
    eventTypes: null,
    channels: null,
    throttleRate: null,
    metadata: {},
    headers: {},
    secrets: [{ key: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', expiresAt: null }],
    createdAt: now(),
    updatedAt: now(),
    ...overrides,
  };
}

export function aMessage(appId: string, overrides: Partial<Message> = {}): Message {
  return {
    id: newId('message'),
    appId,
    eventType: 'invoice.paid',
    payload: { amount: 1 },
    eventId: null,
    channels: null,
    tags: null,
    timestamp: now(),
    deliverAt: null,
    payloadExpiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    ...overrides,
  };
}

export function anAttempt(message: Message, endpointId: string, overrides: Partial<MessageAttempt> = {}): MessageAttempt {
  return {
    id: newId('attempt'),
    appId: message.appId,
    msgId: message.id,
    endpointId,
    url: 'https://example.com/hook',
    timestamp: now(),
    responseStatusCode: 200,
    response: 'ok',
    responseDurationMs: 12,
    status: 0,
    triggerType: 0,
    attemptNumber: 1,
    eventType: message.eventType,
    channels: message.channels,
    tags: message.tags,
    ...overrides,
  };
}

/** Ids created in sequence within one millisecond slot still differ; sort them as the table does. */
export const sorted = (ids: string[]): string[] => [...ids].sort();
