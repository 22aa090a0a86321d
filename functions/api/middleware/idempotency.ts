/**
 * Idempotent POSTs (`idempotency-key` header), as Svix does: the first request claims the key; a
 * retry after it finished replays its 2xx response; a concurrent duplicate waits for it (polling)
 * and then replays, so a publish retried while the first is still running never creates a second
 * message. Non-2xx outcomes release the key so a retry runs again.
 *
 * A record lives 12 h, so what it keeps must not outlive or out-expose the data it came from. The
 * route decides (ApiResult.replay): most answers are kept as they are; an answer carrying a secret
 * (an app-portal token) is kept sealed by the secret cipher, or not at all without one; an answer
 * carrying a payload (publish) keeps only a reference and is rendered again on replay, so an expired
 * or expunged payload is not resurrected from here.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { ConflictError } from '../../core/errors.ts';
import type { IdempotencyRecord, IdempotencyStore } from '../../core/ports.ts';
import { SEALED_PREFIX, type SecretCipher } from '../../core/secrets/secret-cipher.ts';
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

/** A kept body that is a reference for the route to render again (never valid JSON, so never ambiguous). */
const REFERENCE_PREFIX = 'sluice-ref:';
const sealingContext = (key: string): string => `idempotency:${key}`;

export interface ReplaySupport {
  /** Seals answers that carry a secret; absent: such answers are not kept (a retry runs again). */
  cipher?: SecretCipher | undefined;
  /** Renders an answer kept as a reference again; undefined when the route cannot. */
  rerender?: (event: ApiEvent, ref: Record<string, string>) => Promise<APIGatewayProxyResult | undefined>;
}

/** What to keep for a 2xx answer, or undefined when it must not be kept. */
async function keptBody(event: ApiEvent, key: string, body: string, support: ReplaySupport): Promise<string | undefined> {
  const hint = event.sluiceState?.replay;
  if (hint === undefined) return body;
  if (hint.kind === 'reference') return REFERENCE_PREFIX + JSON.stringify(hint.ref);
  return support.cipher === undefined ? undefined : support.cipher.encrypt(body, sealingContext(key));
}

async function replay(event: ApiEvent, key: string, record: IdempotencyRecord, support: ReplaySupport): Promise<APIGatewayProxyResult> {
  const status = record.status ?? 200;
  if (status === 204) return { statusCode: 204, headers: {}, body: '' };
  let body = record.body ?? '{}';
  if (body.startsWith(REFERENCE_PREFIX)) {
    const ref = JSON.parse(body.slice(REFERENCE_PREFIX.length)) as Record<string, string>;
    const rendered = await support.rerender?.(event, ref);
    if (rendered === undefined) throw new Error('idempotency: a kept reference has no renderer');
    return { ...rendered, statusCode: status };
  }
  if (body.startsWith(SEALED_PREFIX)) {
    if (support.cipher === undefined) throw new Error('idempotency: a sealed record and no cipher to open it');
    body = await support.cipher.decrypt(body, sealingContext(key));
  }
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body };
}

export function idempotency(
  store: IdempotencyStore,
  options: IdempotencyOptions = IDEMPOTENCY_DEFAULTS,
  support: ReplaySupport = {},
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
        if (existing.state === 'done') return replay(event, key, existing, support);
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
        const kept = await keptBody(request.event, key, response.body, support).catch(() => undefined);
        if (kept === undefined) return release(key).catch(() => undefined);
        await store.complete(key, response.statusCode, kept, options.ttlSeconds).catch(() => undefined);
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
