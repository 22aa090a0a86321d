/**
 * The knobs of a Sluice deployment, as stack props or as CDK context, e.g.
 *
 *   npx cdk deploy -c retrySchedule=5,300,1800 -c allowPrivateNetworks=false \
 *     -c alarmEmail=ops@example.com -c apiRateLimit=500 -c apiBurstLimit=1000 \
 *     -c removalPolicy=destroy -c fanoutMaxConcurrency=10 -c deliveryMaxConcurrency=50 -c tracing=true \
 *     -c disableAfterDays=5 -c operationalWebhookUrl=https://ops.example.com/sluice -c api=http \
 *     -c capacity=provisioned -c readCapacity=5-500 -c writeCapacity=5-1000 -c capacityTargetUtilization=70 \
 *     -c operationalWebhookSecret=whsec_… -c allowedSubnets=10.1.0.0/16,fd00:1::/32 -c requireHttps=true
 *
 * Props given in code win over context. Everything is validated here, at synth, so a bad value fails
 * `cdk synth` instead of a cold start.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { parseAllowedSubnets } from '../functions/core/network/address-policy.ts';
import { parseCorsOrigins, type CorsOrigins } from '../functions/api/cors.ts';
import { DELIVERY, QUEUE_RETENTION_SECONDS, QUEUES } from '../functions/shared/names.ts';
import { bool, int, num, text, type ContextReader } from './context-values.ts';
import { tableCapacity, type TableCapacity } from './table-capacity.ts';

export { DEFAULT_PROVISIONED, type TableCapacity } from './table-capacity.ts';

export type ApiKind = 'rest' | 'http';

export interface ApiThrottle {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Token-bucket size: the burst the stage absorbs above rateLimit. */
  readonly burstLimit: number;
}

export interface SluiceSettings {
  /** Delays (seconds) before attempts 2, 3, …; default: Svix's schedule (DELIVERY.defaultRetryScheduleSeconds). */
  readonly retrySchedule?: readonly number[];
  /** Let endpoints resolve to private/loopback addresses (SSRF guard off). Default false. */
  readonly allowPrivateNetworks?: boolean;
  /** CIDRs webhooks may reach although not public (the SSRF allow-list), e.g. ['10.1.0.0/16']. Default none. */
  readonly allowedSubnets?: readonly string[];
  /** Endpoint URLs must be https. Default false. */
  readonly requireHttps?: boolean;
  /** Subscribe this address to the alarm topic; without it no topic is created. */
  readonly alarmEmail?: string;
  /** Stage-wide API Gateway throttling. */
  readonly apiThrottle?: ApiThrottle;
  /** For the table and the log groups. Default RETAIN: data outlives the stack. */
  readonly removalPolicy?: RemovalPolicy;
  /** Caps on concurrent invocations per event source (Lambda's maximumConcurrency, ≥ 2). */
  readonly fanoutMaxConcurrency?: number;
  readonly deliveryMaxConcurrency?: number;
  /** X-Ray tracing on the stage and the functions. Default false. */
  readonly tracing?: boolean;
  /** Days of failures without a success before an endpoint is disabled (fractions allowed). Default 5. */
  readonly disableAfterDays?: number;
  /**
   * Operational webhooks (endpoint.disabled, message.attempt.exhausted, message.attempt.failing) go to
   * this URL, signed with `operationalWebhookSecret` (`whsec_…`). Both or neither. The secret is put in
   * the delivery function's environment (encrypted at rest by Lambda).
   */
  readonly operationalWebhookUrl?: string;
  readonly operationalWebhookSecret?: string;
  /**
   * Origins allowed to call the API from a browser (SLUICE_CORS_ORIGINS): `*` (default; safe, the API
   * authenticates with a bearer header, never a cookie) or comma-separated origins.
   */
  readonly corsOrigins?: string;
  /**
   * The gateway in front of the api function: `rest` (API Gateway REST API, default: Svix-shaped
   * gateway errors, WAF, usage plans) or `http` (HTTP API: $1.00 instead of $3.50 per million requests;
   * the gateway's own errors are `{"message": …}`). lib/api.ts weighs them.
   */
  readonly api?: ApiKind;
  /** `-c capacity=provisioned [-c readCapacity=5-500 -c writeCapacity=5-1000 -c capacityTargetUtilization=70]`. */
  readonly capacity?: TableCapacity;
  /** Secrets generated for endpoints: `hmac` (whsec_, default) or `ed25519` (whsk_, signed v1a). */
  readonly defaultSignatureType?: 'hmac' | 'ed25519';
}

/** Settings with every default applied. */
export interface ResolvedSettings {
  readonly retrySchedule: readonly number[];
  readonly allowPrivateNetworks: boolean;
  readonly allowedSubnets: readonly string[];
  readonly requireHttps: boolean;
  readonly alarmEmail: string | undefined;
  readonly apiThrottle: ApiThrottle;
  readonly removalPolicy: RemovalPolicy;
  readonly fanoutMaxConcurrency: number | undefined;
  readonly deliveryMaxConcurrency: number | undefined;
  readonly tracing: boolean;
  readonly disableAfterDays: number;
  readonly operationalWebhook: { readonly url: string; readonly secret: string } | undefined;
  readonly corsOrigins: CorsOrigins;
  readonly defaultSignatureType: 'hmac' | 'ed25519';
  readonly api: ApiKind;
  readonly capacity: TableCapacity;
}

/**
 * 500 rps / 1000 burst: far above what one team's product publishes, and well below the account's
 * 10,000 rps and 1,000 concurrent Lambdas, so a runaway client can't starve the workers.
 */
export const DEFAULT_API_THROTTLE: ApiThrottle = { rateLimit: 500, burstLimit: 1000 };

/** The SQS ceiling for ChangeMessageVisibility, which is how a retry is delayed. */
const MAX_DELAY_SECONDS = 43_200;
const MAX_RETRIES = 20;

function apiKind(value: string | undefined): ApiKind {
  if (value === undefined || value === 'rest' || value === 'http') return value ?? 'rest';
  throw new Error(`api must be rest or http, got "${value}"`);
}

function signatureType(value: string | undefined): ResolvedSettings['defaultSignatureType'] {
  if (value === undefined || value === 'hmac' || value === 'ed25519') return value ?? 'hmac';
  throw new Error(`defaultSignatureType must be hmac or ed25519, got "${value}"`);
}

/** The same parser the api function uses at cold start: a bad origin fails synth, not every request. */
function corsOrigins(value: string | undefined): CorsOrigins {
  try {
    return parseCorsOrigins(value);
  } catch (error) {
    throw new Error(`corsOrigins: ${(error as Error).message}`, { cause: error });
  }
}

function operationalWebhook(url: string | undefined, secret: string | undefined): ResolvedSettings['operationalWebhook'] {
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined || secret === undefined) throw new Error('operationalWebhookUrl and operationalWebhookSecret go together: set both or neither');
  return { url, secret };
}

/** The same rules functions/shared/config.ts applies at cold start, checked at synth. */
function validateOperationalWebhook(target: ResolvedSettings['operationalWebhook']): void {
  if (target === undefined) return;
  if (!/^https?:\/\/[^\s]+$/.test(target.url)) throw new Error(`operationalWebhookUrl must be an http(s) URL, got "${target.url}"`);
  if (!/^(whsec_)?[A-Za-z0-9+/=]{32,100}$/.test(target.secret)) throw new Error('operationalWebhookSecret must be a whsec_… secret (base64, 32–100 characters)');
}

function removalPolicy(v: string | undefined): RemovalPolicy | undefined {
  if (v === undefined) return undefined;
  const policies: Record<string, RemovalPolicy> = {
    retain: RemovalPolicy.RETAIN,
    destroy: RemovalPolicy.DESTROY,
    snapshot: RemovalPolicy.SNAPSHOT,
  };
  const p = policies[v.toLowerCase()];
  if (p === undefined) throw new Error(`context removalPolicy must be retain, destroy or snapshot, got "${v}"`);
  return p;
}

export function parseRetrySchedule(v: string): number[] {
  return v.split(',').map((s) => Number(s.trim()));
}

/**
 * The same limits functions/shared/config.ts enforces at cold start, plus the ones only the stack
 * knows: every attempt is one receive of the delivery task, so the schedule must fit under the
 * DLQ's maxReceiveCount (with room for crashed invocations), and its total under the retention.
 */
export function validateRetrySchedule(schedule: readonly number[]): void {
  const bad = schedule.find((d) => !Number.isInteger(d) || d < 0 || d > MAX_DELAY_SECONDS);
  if (bad !== undefined) throw new Error(`retrySchedule: each delay must be whole seconds in [0, ${MAX_DELAY_SECONDS}], got ${bad}`);
  if (schedule.length > MAX_RETRIES) throw new Error(`retrySchedule: at most ${MAX_RETRIES} retries, got ${schedule.length}`);
  const receives = schedule.length + 1;
  const spare = 3;
  if (receives + spare > QUEUES.delivery.maxReceiveCount) {
    throw new Error(`retrySchedule: ${receives} attempts leave fewer than ${spare} spare receives under maxReceiveCount ${QUEUES.delivery.maxReceiveCount}`);
  }
  const total = schedule.reduce((a, b) => a + b, 0);
  if (total >= QUEUE_RETENTION_SECONDS) throw new Error(`retrySchedule: ${total} s in all exceeds the queue retention (${QUEUE_RETENTION_SECONDS} s)`);
}

function validateRange(name: string, v: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (v !== undefined && (!Number.isFinite(v) || v < min || v > max)) {
    throw new Error(`${name} must be in [${min}, ${max}], got ${v}`);
  }
}

/** Merges props over context over defaults, then validates. */
export function resolveSettings(props: SluiceSettings, node: ContextReader): ResolvedSettings {
  const scheduleText = text(node, 'retrySchedule');
  const rate = int(node, 'apiRateLimit');
  const burst = int(node, 'apiBurstLimit');
  const settings: ResolvedSettings = {
    retrySchedule: props.retrySchedule
      ?? (scheduleText !== undefined ? parseRetrySchedule(scheduleText) : DELIVERY.defaultRetryScheduleSeconds),
    allowPrivateNetworks: props.allowPrivateNetworks ?? bool(node, 'allowPrivateNetworks') ?? false,
    allowedSubnets: props.allowedSubnets ?? (text(node, 'allowedSubnets') ?? '').split(',').map((v) => v.trim()).filter((v) => v !== ''),
    requireHttps: props.requireHttps ?? bool(node, 'requireHttps') ?? false,
    alarmEmail: props.alarmEmail ?? text(node, 'alarmEmail'),
    apiThrottle: props.apiThrottle ?? {
      rateLimit: rate ?? DEFAULT_API_THROTTLE.rateLimit,
      burstLimit: burst ?? DEFAULT_API_THROTTLE.burstLimit,
    },
    removalPolicy: props.removalPolicy ?? removalPolicy(text(node, 'removalPolicy')) ?? RemovalPolicy.RETAIN,
    fanoutMaxConcurrency: props.fanoutMaxConcurrency ?? int(node, 'fanoutMaxConcurrency'),
    deliveryMaxConcurrency: props.deliveryMaxConcurrency ?? int(node, 'deliveryMaxConcurrency'),
    tracing: props.tracing ?? bool(node, 'tracing') ?? false,
    disableAfterDays: props.disableAfterDays ?? num(node, 'disableAfterDays') ?? DELIVERY.defaultDisableAfterDays,
    operationalWebhook: operationalWebhook(
      props.operationalWebhookUrl ?? text(node, 'operationalWebhookUrl'),
      props.operationalWebhookSecret ?? text(node, 'operationalWebhookSecret'),
    ),
    corsOrigins: corsOrigins(props.corsOrigins ?? text(node, 'corsOrigins')),
    defaultSignatureType: signatureType(props.defaultSignatureType ?? text(node, 'defaultSignatureType')),
    api: apiKind(props.api ?? text(node, 'api')),
    capacity: props.capacity ?? tableCapacity(node),
  };
  validateRetrySchedule(settings.retrySchedule);
  // The same parser the functions use at cold start: a bad CIDR fails synth, not every invocation.
  try {
    parseAllowedSubnets(settings.allowedSubnets);
  } catch (error) {
    throw new Error(`allowedSubnets: ${(error as Error).message}`, { cause: error });
  }
  if (!Number.isFinite(settings.disableAfterDays) || settings.disableAfterDays <= 0) {
    throw new Error(`disableAfterDays must be a positive number of days, got ${settings.disableAfterDays}`);
  }
  validateOperationalWebhook(settings.operationalWebhook);
  validateRange('apiThrottle.rateLimit', settings.apiThrottle.rateLimit, 1);
  validateRange('apiThrottle.burstLimit', settings.apiThrottle.burstLimit, 0);
  // Lambda rejects a maximumConcurrency outside [2, 1000] at deploy time; fail at synth instead.
  validateRange('fanoutMaxConcurrency', settings.fanoutMaxConcurrency, 2, 1000);
  validateRange('deliveryMaxConcurrency', settings.deliveryMaxConcurrency, 2, 1000);
  if (settings.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(settings.alarmEmail)) {
    throw new Error(`alarmEmail is not an email address: "${settings.alarmEmail}"`);
  }
  return settings;
}
