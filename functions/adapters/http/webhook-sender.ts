/**
 * The outbound webhook POST, with undici. Never throws: every way an attempt ends (2xx, other
 * status, timeout, connection failure) becomes a SendOutcome for the retry policy.
 *
 * - Exactly the given body bytes are sent (they were signed).
 * - One deadline covers connecting, sending and reading the response (DELIVERY.attemptTimeoutMs).
 * - Redirects are not followed: a 3xx is a failed attempt, as in Svix.
 * - The response body is read up to a limit, then the connection is dropped, so a receiver that
 *   streams gigabytes cannot fill the worker's memory.
 * - One keep-alive Agent per sender: consecutive attempts to the same host reuse connections.
 */
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { DELIVERY } from '../../shared/names.ts';
import type { SendOutcome, WebhookRequest, WebhookSender } from '../../core/delivery-sender.ts';
import { describeNetworkError, isTimeoutError } from './send-errors.ts';

/**
 * Decides, once the TCP connection is up, whether the peer's address may receive webhooks: returns
 * the reason to refuse, or undefined to allow. Checking the connected socket (not the DNS answer)
 * covers IP literals and DNS rebinding alike. This is the seam for SSRF filtering.
 */
export type ConnectAddressCheck = (address: string, family: string) => string | undefined;

export interface WebhookSenderOptions {
  timeoutMs?: number;
  responseBodyMaxBytes?: number;
  checkAddress?: ConnectAddressCheck;
}

export interface ClosableWebhookSender extends WebhookSender {
  /** Closes the keep-alive connections (tests, local runner shutdown). */
  close(): Promise<void>;
}

export class AddressRefusedError extends Error {
  readonly code = 'SLUICE_ADDRESS_REFUSED';
}

function createAgent(timeoutMs: number, checkAddress: ConnectAddressCheck | undefined): Agent {
  const base = buildConnector({ timeout: timeoutMs, keepAlive: true });
  const connect: buildConnector.connector = (options, callback) =>
    base(options, (error, socket) => {
      if (error !== null || checkAddress === undefined) {
        callback(error as Error, socket as null);
        return;
      }
      const reason = checkAddress(socket.remoteAddress ?? '', socket.remoteFamily ?? '');
      if (reason === undefined) {
        callback(null, socket);
        return;
      }
      socket.destroy();
      callback(new AddressRefusedError(reason), null);
    });
  return new Agent({
    connect,
    keepAliveTimeout: 4_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** Parses Retry-After (delta seconds or an HTTP date) into seconds from `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads at most `maxBytes` of the body; anything beyond is abandoned (the stream is destroyed). */
async function readLimited(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = maxBytes - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  // A multi-byte character cut at the limit decodes to U+FFFD rather than failing.
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

export function createWebhookSender(options: WebhookSenderOptions = {}): ClosableWebhookSender {
  const timeoutMs = options.timeoutMs ?? DELIVERY.attemptTimeoutMs;
  const maxBytes = options.responseBodyMaxBytes ?? DELIVERY.responseBodyMaxBytes;
  const agent = createAgent(timeoutMs, options.checkAddress);

  async function send(req: WebhookRequest): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('attempt deadline')), timeoutMs);
    try {
      const response = await request(req.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        dispatcher: agent,
        signal: deadline.signal,
      });
      const body = await readLimited(response.body, maxBytes);
      const statusCode = response.statusCode;
      if (statusCode >= 200 && statusCode < 300) return { kind: 'success', statusCode, body, durationMs: elapsed() };
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
      return {
        kind: 'http-error',
        statusCode,
        body,
        durationMs: elapsed(),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    } catch (error) {
      if (deadline.signal.aborted || isTimeoutError(error)) {
        return { kind: 'timeout', message: `No response within ${timeoutMs / 1000} s`, durationMs: elapsed() };
      }
      return { kind: 'network-error', message: describeNetworkError(error), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  return { send, close: () => agent.close() };
}
