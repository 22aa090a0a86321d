/**
 * Standard Webhooks signing (the scheme Svix uses). Every attempt is signed with a fresh timestamp
 * over exactly the bytes sent: `v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))` for a
 * `whsec_` secret, `v1a,base64(Ed25519(key, "{id}.{timestamp}.{body}"))` for a `whsk_` one
 * (./ed25519.ts), one entry per valid secret (current first, then each rotated-out one still inside
 * its grace period, whatever their kinds), space-separated. Headers are sent under both the unbranded
 * `webhook-*` and the `svix-*` names so either family of verifiers works.
 */
import { createHmac } from 'node:crypto';
import type { SigningSecret } from '../model.ts';
import { ed25519Signature, isAsymmetricSecret } from './ed25519.ts';

export const USER_AGENT = 'Sluice/0.1';
const SECRET_PREFIX = 'whsec_';

/** Raw HMAC key bytes of a `whsec_…` secret (the prefix is optional). */
export function secretKeyBytes(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** The secrets that sign at `now`: the current one(s) first, then unexpired rotated-out ones, in stored order. */
export function activeSecrets(secrets: readonly SigningSecret[], now: Date): SigningSecret[] {
  const current = secrets.filter((s) => s.expiresAt === null);
  const rotated = secrets.filter((s) => s.expiresAt !== null && Date.parse(s.expiresAt) > now.getTime());
  return [...current, ...rotated];
}

/** The `webhook-signature` value: `v1,<b64> v1a,<b64> …`. */
export function signatureHeader(
  msgId: string,
  timestampSeconds: number,
  body: string | Uint8Array,
  secrets: readonly SigningSecret[],
  now: Date,
): string {
  const prefix = `${msgId}.${timestampSeconds}.`;
  let signed: Buffer | undefined;
  return activeSecrets(secrets, now)
    .map((secret) => {
      if (isAsymmetricSecret(secret.key)) {
        // Ed25519 signs the whole content at once (no streaming); built once per header.
        signed ??= Buffer.concat([Buffer.from(prefix), typeof body === 'string' ? Buffer.from(body) : body]);
        return `v1a,${ed25519Signature(secret.key, signed)}`;
      }
      const mac = createHmac('sha256', secretKeyBytes(secret.key));
      mac.update(prefix);
      mac.update(body);
      return `v1,${mac.digest('base64')}`;
    })
    .join(' ');
}

/**
 * Header names an endpoint's custom headers may not set: ours (signature, content type), and the
 * ones that describe the connection or framing, which the HTTP client owns.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'content-type',
  'user-agent',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
]);

export interface WebhookHeadersInput {
  msgId: string;
  timestampSeconds: number;
  /** Exactly the bytes that will be sent. */
  body: string | Uint8Array;
  secrets: readonly SigningSecret[];
  /** The endpoint's custom headers; they never override the signature headers. */
  endpointHeaders?: Record<string, string>;
  now: Date;
}

/** All headers of one webhook attempt: ours lower-cased, the endpoint's as the user spelled them. */
export function webhookHeaders(input: WebhookHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {};
  const taken = new Set<string>();
  for (const [name, value] of Object.entries(input.endpointHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || taken.has(lower)) continue;
    taken.add(lower);
    // Under the name as the user spelled it: node:http sends header names with the case it is given,
    // and some receivers (wrongly, but really) match names case-sensitively.
    headers[name] = value;
  }
  const timestamp = String(input.timestampSeconds);
  const signature = signatureHeader(input.msgId, input.timestampSeconds, input.body, input.secrets, input.now);
  return Object.assign(headers, {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': input.msgId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
    'svix-id': input.msgId,
    'svix-timestamp': timestamp,
    'svix-signature': signature,
  });
}
