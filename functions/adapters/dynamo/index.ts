/**
 * The DynamoDB implementation of the domain's stores (core/ports.ts) on the single table
 * (shared/names.ts TABLE; key layout in ./keys.ts). Takes its client as an argument so Lambda,
 * the local runner and tests each pass their own.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '../../core/ports.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';
import type { PayloadObjects } from '../../core/messages/payload-objects.ts';
import { createAppTokenStore } from './app-tokens.ts';
import { createApplicationStore } from './applications.ts';
import { createAttemptStore } from './attempts.ts';
import { createBackgroundTaskStore } from './background-tasks.ts';
import { createEndpointStore } from './endpoints.ts';
import { createEventTypeStore } from './event-types.ts';
import { createIdempotencyStore } from './idempotency.ts';
import { createMessageStore } from './messages.ts';

export interface DynamoStoreOptions {
  /** Seals endpoint signing secrets at rest (KMS on AWS, the local key in local mode). */
  cipher?: SecretCipher | undefined;
  /** Where payloads over 256 KiB are kept (core/messages/payload-objects.ts); absent: all in DynamoDB. */
  payloadObjects?: PayloadObjects | undefined;
}

export function createDynamoStores(client: DynamoDBClient, tableName: string, options: DynamoStoreOptions = {}): Stores {
  const table = { client, name: tableName };
  const endpoints = createEndpointStore(table, options.cipher);
  return {
    applications: createApplicationStore(table, endpoints),
    eventTypes: createEventTypeStore(table),
    endpoints,
    messages: createMessageStore(table, options.payloadObjects),
    attempts: createAttemptStore(table),
    idempotency: createIdempotencyStore(table),
    appTokens: createAppTokenStore(table),
    backgroundTasks: createBackgroundTaskStore(table),
  };
}
