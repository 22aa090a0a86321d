/**
 * Configuration, parsed once (at cold start, or when the local runner starts) from the environment
 * with a zod schema, then passed in. Nothing else reads process.env.
 */
import * as z from 'zod/mini';
import { parseAllowedSubnets } from '../core/network/address-policy.ts';
import { parseCorsOrigins, type CorsOrigins } from '../api/cors.ts';
import { DELIVERY, ENV, TABLE } from './names.ts';

const boolean = z.pipe(
  z.optional(z.enum(['true', 'false', '1', '0', ''])),
  z.transform((v) => v === 'true' || v === '1'),
);

const retrySchedule = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx) => {
    if (v === undefined) return [...DELIVERY.defaultRetryScheduleSeconds];
    // Set but empty (`SLUICE_RETRY_SCHEDULE=`): no retries, one attempt per message (valid in Svix too).
    if (v.trim() === '') return [];
    const delays = v.split(',').map((s) => Number(s.trim()));
    const valid = delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 43_200) && delays.length <= 20;
    if (!valid) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: 'must be up to 20 comma-separated whole seconds, each at most 43200 (12 h, the SQS limit)',
      });
      return z.NEVER;
    }
    return delays;
  }),
);

const subnetList = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx) => {
    const entries = (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    try {
      parseAllowedSubnets(entries);
    } catch (error) {
      ctx.issues.push({ code: 'custom', input: v, message: `must be comma-separated CIDR subnets (${(error as Error).message})` });
      return z.NEVER;
    }
    return entries;
  }),
);

/** A positive number (fractions allowed), or undefined when unset. */
const positiveNumber = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) {
      ctx.issues.push({ code: 'custom', input: v, message: 'must be a positive number' });
      return z.NEVER;
    }
    return n;
  }),
);

const corsOrigins = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx) => {
    try {
      return parseCorsOrigins(v);
    } catch (error) {
      ctx.issues.push({ code: 'custom', input: v, message: `must be * or comma-separated origins (${(error as Error).message})` });
      return z.NEVER;
    }
  }),
);

const ConfigSchema = z.object({
  [ENV.tableName]: z._default(z.string().check(z.minLength(1)), TABLE.defaultName),
  [ENV.fanoutQueueUrl]: z.string().check(z.minLength(1)),
  [ENV.deliveryQueueUrl]: z.string().check(z.minLength(1)),
  [ENV.deliverySlowQueueUrl]: z.optional(z.string().check(z.minLength(1))),
  [ENV.fanoutOrderedQueueUrl]: z.optional(z.string().check(z.minLength(1))),
  [ENV.deliveryOrderedQueueUrl]: z.optional(z.string().check(z.minLength(1))),
  [ENV.adminToken]: z.optional(z.string().check(z.minLength(16))),
  [ENV.adminTokenSecretArn]: z.optional(z.string().check(z.minLength(1))),
  [ENV.retrySchedule]: retrySchedule,
  [ENV.allowPrivateNetworks]: boolean,
  [ENV.allowedSubnets]: subnetList,
  [ENV.requireHttps]: boolean,
  [ENV.secretsKeyArn]: z.optional(z.string().check(z.minLength(1))),
  [ENV.disableAfterDays]: positiveNumber,
  [ENV.disableAfterSeconds]: positiveNumber,
  [ENV.operationalWebhookUrl]: z.optional(z.string().check(z.url({ protocol: /^https?$/ }))),
  [ENV.operationalWebhookSecret]: z.optional(z.string().check(z.regex(/^(whsec_)?[A-Za-z0-9+/=]{32,100}$/))),
  [ENV.attemptTimeoutMs]: positiveNumber,
  [ENV.overloadMinDelaySeconds]: z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > DELIVERY.defaultOverloadMinDelaySeconds) {
        ctx.issues.push({ code: 'custom', input: v, message: `must be whole seconds in [0, ${DELIVERY.defaultOverloadMinDelaySeconds}]` });
        return z.NEVER;
      }
      return n;
    }),
  ),
  [ENV.corsOrigins]: corsOrigins,
  [ENV.payloadBucket]: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/))),
  [ENV.defaultSignatureType]: z.optional(z.enum(['hmac', 'ed25519'])),
  [ENV.destinationPrincipalArn]: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[\w+=,.@/-]+$/))),
  [ENV.endpointCacheSeconds]: z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > DELIVERY.maxEndpointCacheSeconds) {
        ctx.issues.push({ code: 'custom', input: v, message: `must be seconds in [0, ${DELIVERY.maxEndpointCacheSeconds}] (0: no cache)` });
        return z.NEVER;
      }
      return n;
    }),
  ),
});

export interface Config {
  tableName: string;
  fanoutQueueUrl: string;
  deliveryQueueUrl: string;
  /** The slow lane's queue (functions/core/isolation/endpoint-lanes.ts); undefined: one lane. */
  deliverySlowQueueUrl?: string | undefined;
  /** The FIFO queues of ordered endpoints (core/ordering/); undefined: `ordering: "fifo"` is refused. */
  fanoutOrderedQueueUrl?: string | undefined;
  deliveryOrderedQueueUrl?: string | undefined;
  /** The admin token itself (local mode) … */
  adminToken: string | undefined;
  /** … or where to read it (AWS). */
  adminTokenSecretArn: string | undefined;
  /** Delays before attempts 2, 3, …; the first attempt is immediate. */
  retryScheduleSeconds: number[];
  allowPrivateNetworks: boolean;
  /** CIDRs allowed although not public (SSRF allow-list); loadConfig always sets it. */
  allowedSubnets?: string[];
  /** Endpoint URLs must be https; loadConfig always sets it. */
  requireHttps?: boolean;
  /** KMS key for endpoint secrets (AWS); undefined: no KMS envelope (local mode uses its own cipher). */
  secretsKeyArn?: string | undefined;
  /** Failing this long without a success disables an endpoint; default DELIVERY.defaultDisableAfterDays. */
  disableAfterSeconds?: number;
  /** Where operational webhooks go, signed with `secret`; undefined: none are sent. */
  operationalWebhook?: OperationalWebhookTarget | undefined;
  /** One HTTP attempt's deadline (≤ DELIVERY.attemptTimeoutMs); default DELIVERY.attemptTimeoutMs. */
  attemptTimeoutMs?: number;
  /** Least delay after a timeout or 429; default DELIVERY.defaultOverloadMinDelaySeconds. */
  overloadMinDelaySeconds?: number;
  /** A delivery worker's endpoint cache TTL (0: off); default DELIVERY.defaultEndpointCacheSeconds. */
  endpointCacheSeconds?: number;
  /** Origins allowed to call the API from a browser (functions/api/cors.ts); default `*`. */
  corsOrigins?: CorsOrigins;
  /** Secrets generated for endpoints and rotations (Svix's default_signature_type); default hmac. */
  defaultSignatureType?: 'hmac' | 'ed25519';
  /** Where payloads over 256 KiB are kept (S3); undefined: payloads are capped at 256 KiB. */
  payloadBucket?: string | undefined;
  /** The principal destination roles trust (shown with each AWS-native destination); undefined: not shown. */
  destinationPrincipalArn?: string | undefined;
}

export interface OperationalWebhookTarget {
  url: string;
  /** `whsec_…` */
  secret: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  if (c[ENV.adminToken] === undefined && c[ENV.adminTokenSecretArn] === undefined) {
    throw new Error(`Invalid configuration: set ${ENV.adminToken} or ${ENV.adminTokenSecretArn}`);
  }
  const opsUrl = c[ENV.operationalWebhookUrl];
  const opsSecret = c[ENV.operationalWebhookSecret];
  if ((opsUrl === undefined) !== (opsSecret === undefined)) {
    throw new Error(`Invalid configuration: set both ${ENV.operationalWebhookUrl} and ${ENV.operationalWebhookSecret}, or neither`);
  }
  const attemptTimeoutMs = c[ENV.attemptTimeoutMs];
  if (attemptTimeoutMs !== undefined && attemptTimeoutMs > DELIVERY.attemptTimeoutMs) {
    throw new Error(`Invalid configuration: ${ENV.attemptTimeoutMs} must be at most ${DELIVERY.attemptTimeoutMs}`);
  }
  const disableAfterDays = c[ENV.disableAfterDays] ?? DELIVERY.defaultDisableAfterDays;
  return {
    tableName: c[ENV.tableName],
    fanoutQueueUrl: c[ENV.fanoutQueueUrl],
    deliveryQueueUrl: c[ENV.deliveryQueueUrl],
    deliverySlowQueueUrl: c[ENV.deliverySlowQueueUrl],
    fanoutOrderedQueueUrl: c[ENV.fanoutOrderedQueueUrl],
    deliveryOrderedQueueUrl: c[ENV.deliveryOrderedQueueUrl],
    adminToken: c[ENV.adminToken],
    adminTokenSecretArn: c[ENV.adminTokenSecretArn],
    retryScheduleSeconds: c[ENV.retrySchedule],
    allowPrivateNetworks: c[ENV.allowPrivateNetworks],
    allowedSubnets: c[ENV.allowedSubnets],
    requireHttps: c[ENV.requireHttps],
    secretsKeyArn: c[ENV.secretsKeyArn],
    disableAfterSeconds: c[ENV.disableAfterSeconds] ?? disableAfterDays * 86_400,
    operationalWebhook: opsUrl === undefined || opsSecret === undefined ? undefined : { url: opsUrl, secret: opsSecret },
    attemptTimeoutMs: attemptTimeoutMs ?? DELIVERY.attemptTimeoutMs,
    overloadMinDelaySeconds: c[ENV.overloadMinDelaySeconds] ?? DELIVERY.defaultOverloadMinDelaySeconds,
    endpointCacheSeconds: c[ENV.endpointCacheSeconds] ?? DELIVERY.defaultEndpointCacheSeconds,
    corsOrigins: c[ENV.corsOrigins],
    defaultSignatureType: c[ENV.defaultSignatureType] ?? 'hmac',
    payloadBucket: c[ENV.payloadBucket],
    destinationPrincipalArn: c[ENV.destinationPrincipalArn],
  };
}

/** Both FIFO queues of ordered endpoints are configured (one without the other orders nothing). */
export function orderedQueuesConfigured(config: Pick<Config, 'fanoutOrderedQueueUrl' | 'deliveryOrderedQueueUrl'>): boolean {
  return config.fanoutOrderedQueueUrl !== undefined && config.deliveryOrderedQueueUrl !== undefined;
}
