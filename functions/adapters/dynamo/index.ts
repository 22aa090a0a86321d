/**
 * The DynamoDB implementation of the domain's stores (core/ports.ts) on the single table
 * (shared/names.ts TABLE; key layout in ./keys.ts). Takes its client as an argument so Lambda,
 * the local runner and tests each pass their own.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stores } from '../../core/ports.ts';
import { createApplicationStore } from './applications.ts';
import { createAttemptStore } from './attempts.ts';
import { createEndpointStore } from './endpoints.ts';
import { createEventTypeStore } from './event-types.ts';
import { createIdempotencyStore } from './idempotency.ts';
import { createMessageStore } from './messages.ts';

export function createDynamoStores(client: DynamoDBClient, tableName: string): Stores {
  const table = { client, name: tableName };
  const endpoints = createEndpointStore(table);
  return {
    applications: createApplicationStore(table, endpoints),
    eventTypes: createEventTypeStore(table),
    endpoints,
    messages: createMessageStore(table),
    attempts: createAttemptStore(table),
    idempotency: createIdempotencyStore(table),
  };
}
