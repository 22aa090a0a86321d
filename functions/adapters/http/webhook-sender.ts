/**
 * The outbound webhook POST, with node:http/node:https (no client library: undici alone was
 * ~740 KB of the delivery bundle). Never throws: every way an attempt ends (2xx, other status,
 * timeout, connection failure, refused address) becomes a SendOutcome for the retry policy.
 *
 * - Exactly the given body bytes are sent (they were signed).
 * - One deadline covers resolving, connecting, sending and reading the response (DELIVERY.attemptTimeoutMs).
 * - Redirects are not followed (node:http never does): a 3xx is a failed attempt, as in Svix.
 * - The response body is read up to a limit, then the connection is dropped, so a receiver that
 *   streams gigabytes cannot fill the worker's memory.
 * - One keep-alive agent per scheme per sender: consecutive attempts to a host reuse connections.
 * - SSRF guard (when `checkAddress` is given): IP literals are vetted before connecting, host names
 *   through guardedLookup (every resolved address vetted, the socket connects to a vetted one), and
 *   every connected socket's peer address again (agents.ts). `checkUrl` refuses schemes/https.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DELIVERY } from '../../shared/names.ts';
import type { SendOutcome, WebhookRequest, WebhookSender } from '../../core/delivery/sender.ts';
import { createGuardedAgents } from './agents.ts';
import { AddressRefusedError, guardedLookup, systemResolveAll, type ConnectAddressCheck, type ResolveAll } from './guarded-lookup.ts';
import { describeNetworkError, isTimeoutError } from './send-errors.ts';

export { AddressRefusedError, type ConnectAddressCheck, type ResolveAll } from './guarded-lookup.ts';

export interface WebhookSenderOptions {
  timeoutMs?: number;
  responseBodyMaxBytes?: number;
  /** The SSRF check for each address (resolved, literal, connected). Absent: every address is allowed. */
  checkAddress?: ConnectAddressCheck;
  /** Refuses a URL before anything happens (scheme, https required). Returns the reason, or undefined. */
  checkUrl?: (url: string) => string | undefined;
  /** DNS seam: all addresses of a host name. Default: the OS resolver (dns.lookup, all: true). */
  resolveAll?: ResolveAll;
}

export interface ClosableWebhookSender extends WebhookSender {
  /** Closes the keep-alive connections (tests, local runner shutdown). */
  close(): Promise<void>;
}

/** Parses Retry-After (delta seconds or an HTTP date) into seconds from `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A multi-byte character cut at the limit decodes to U+FFFD rather than failing. */
const decode = (chunks: Buffer[]): string => new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));

const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');
const isIpLiteral = (hostname: string): boolean => hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);

export function createWebhookSender(options: WebhookSenderOptions = {}): ClosableWebhookSender {
  const timeoutMs = options.timeoutMs ?? DELIVERY.attemptTimeoutMs;
  const maxBytes = options.responseBodyMaxBytes ?? DELIVERY.responseBodyMaxBytes;
  const check = options.checkAddress;
  const agents = createGuardedAgents(check);
  const lookup = check === undefined ? undefined : guardedLookup(options.resolveAll ?? systemResolveAll, check);

  /** Why this URL must not be contacted at all, or undefined. */
  function refusalFor(url: URL): string | undefined {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Unsupported URL scheme ${url.protocol}`;
    const byUrl = options.checkUrl?.(url.href);
    if (byUrl !== undefined) return `Delivery to ${url.host} is refused: the URL ${byUrl}`;
    // Literals skip lookup(), so they are vetted here (the socket check would also catch them).
    if (check !== undefined && isIpLiteral(url.hostname)) {
      const address = bareHost(url.hostname);
      return check(address, address.includes(':') ? 'IPv6' : 'IPv4');
    }
    return undefined;
  }

  function send(req: WebhookRequest): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const networkError = (error: unknown): SendOutcome => ({ kind: 'network-error', message: describeNetworkError(error), durationMs: elapsed() });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch (error) {
      return Promise.resolve(networkError(error));
    }
    const refused = refusalFor(url);
    if (refused !== undefined) return Promise.resolve(networkError(new AddressRefusedError(refused)));

    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        finish({ kind: 'timeout', message: `No response within ${timeoutMs / 1000} s`, durationMs: elapsed() });
        client.destroy();
      }, timeoutMs);

      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (): void => {
          const statusCode = res.statusCode ?? 0;
          const body = decode(chunks);
          if (statusCode >= 200 && statusCode < 300) {
            finish({ kind: 'success', statusCode, body, durationMs: elapsed() });
            return;
          }
          const retryAfterSeconds = parseRetryAfter(res.headers['retry-after']);
          finish({
            kind: 'http-error',
            statusCode,
            body,
            durationMs: elapsed(),
            ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = maxBytes - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (size >= maxBytes) {
            done();
            // Abandon the rest: destroying the response closes its connection (it can't be reused mid-body).
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (error) => finish(networkError(error)));
        res.on('close', () => {
          if (!res.complete) finish(networkError(Object.assign(new Error('Connection closed before the response ended'), { code: 'ECONNRESET' })));
        });
      };

      const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
      const common = { method: 'POST', headers, ...(lookup === undefined ? {} : { lookup }) };
      let client: ReturnType<typeof httpRequest>;
      try {
        client =
          url.protocol === 'https:'
            ? httpsRequest(url, { ...common, agent: agents.https }, onResponse)
            : httpRequest(url, { ...common, agent: agents.http }, onResponse);
      } catch (error) {
        // Invalid header names or values are thrown synchronously.
        clearTimeout(timer);
        resolve(networkError(error));
        return;
      }
      client.on('error', (error) => {
        finish(isTimeoutError(error) ? { kind: 'timeout', message: `No response within ${timeoutMs / 1000} s`, durationMs: elapsed() } : networkError(error));
      });
      client.end(req.body);
    });
  }

  return {
    send,
    close: async () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
