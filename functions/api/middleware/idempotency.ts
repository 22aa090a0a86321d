/**
 * Idempotent POSTs (`idempotency-key` header), as Svix does: the first request claims the key; a
 * retry after it finished replays its 2xx response; a concurrent duplicate waits for it (polling)
 * and then replays, so a publish retried while the first is still running never creates a second
 * message. Non-2xx outcomes release the key so a retry runs again.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConflictError } from '../../core/errors.ts';
import type { IdempotencyRecord, IdempotencyStore } from '../../core/ports.ts';
import type { ApiEvent } from '../types.ts';
import { headerValue } from './auth.ts';

export interface IdempotencyOptions {
  lockSeconds: number;
  ttlSeconds: number;
  pollMs: number;
  maxWaitMs: number;
}

export const IDEMPOTENCY_DEFAULTS: IdempotencyOptions = {
  lockSeconds: 5,
  ttlSeconds: 12 * 3600,
  pollMs: 200,
  maxWaitMs: 5_000,
};

interface Internal extends Record<string, unknown> {
  idempotencyKey?: string;
}

/** The stored key: the credential, the client's key, and the exact request target. */
export function idempotencyStoreKey(scope: string, key: string, method: string, path: string, query: string): string {
  const target = query === '' ? path : `${path}?${query}`;
  return createHash('sha256').update([scope, key, method.toUpperCase(), target].join('\n')).digest('hex');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function replay(record: IdempotencyRecord): APIGatewayProxyResult {
  const status = record.status ?? 200;
  if (status === 204) return { statusCode: 204, headers: {}, body: '' };
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: record.body ?? '{}' };
}

export function idempotency(
  store: IdempotencyStore,
  options: IdempotencyOptions = IDEMPOTENCY_DEFAULTS,
): MiddlewareObj<ApiEvent, APIGatewayProxyResult, Error, Context, Internal> {
  const release = async (key: string | undefined): Promise<void> => {
    if (key !== undefined) await store.release(key);
  };
  return {
    before: async (request) => {
      const event = request.event;
      const state = event.sluiceState;
      const clientKey = headerValue(event.headers, 'idempotency-key');
      if (event.httpMethod.toUpperCase() !== 'POST' || clientKey === undefined || clientKey === '' || state === undefined) {
        return undefined;
      }
      const key = idempotencyStoreKey(state.tokenScope ?? '', clientKey, event.httpMethod, state.path, state.rawQuery);
      const deadline = Date.now() + options.maxWaitMs;
      for (;;) {
        const existing = await store.claim(key, options.lockSeconds, options.ttlSeconds);
        if (existing === undefined) {
          request.internal.idempotencyKey = key;
          return undefined;
        }
        if (existing.state === 'done') return replay(existing);
        if (Date.now() + options.pollMs > deadline) {
          throw new ConflictError('A request with this idempotency key is still in progress');
        }
        await sleep(options.pollMs);
      }
    },
    after: async (request) => {
      const key = request.internal.idempotencyKey;
      if (key === undefined) return;
      const response = request.response;
      if (response !== undefined && response !== null && response.statusCode >= 200 && response.statusCode < 300) {
        // The work is done: a failure to record it must not turn the response into an error. The
        // claim then lapses after its lock, and only a retry after that could run again.
        request.internal.idempotencyKey = undefined;
        await store.complete(key, response.statusCode, response.body, options.ttlSeconds).catch(() => undefined);
      } else {
        await release(key);
      }
    },
    onError: async (request) => {
      const key = request.internal.idempotencyKey;
      request.internal.idempotencyKey = undefined;
      await release(key).catch(() => undefined);
    },
  };
}
