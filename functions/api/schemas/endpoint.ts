/**
 * EndpointIn (POST), EndpointUpsertIn (PUT) and EndpointPatch (PATCH). v1 SDKs send `filterTypes`
 * for `eventTypes`, `rateLimit` for `throttleRate`, and `version: 1`: all accepted.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../../core/errors.ts';
import { validateFilter } from '../../core/filtering/filter.ts';
import type { AddressPolicy } from '../../core/network/address-policy.ts';
import type { EndpointInput, EndpointPatch } from '../../core/endpoints/service.ts';
import { isRoleArn, looksLikeArn, parseDestinationArn } from '../../core/destinations/arn.ts';
import { LIMITS } from '../limits.ts';
import { channels, description, endpointHeaders, eventTypeNames, nullish, stringMap, throttleRate, uidFor } from './common.ts';
import { parseOrThrow } from './issues.ts';

const MAX_URL_LENGTH = LIMITS.urlLength;

/**
 * The SSRF policy at the API: an endpoint whose URL is an IP literal (in any notation: WHATWG URL
 * parsing has already turned `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` into `127.0.0.1`)
 * or a localhost name that the policy refuses, or an http URL when https is required, is a 422 at
 * ["body","url"]. Host names are judged again, on every address they resolve to, at delivery.
 */
export function checkEndpointUrl(url: string | undefined, policy: AddressPolicy | undefined): void {
  if (url === undefined || policy === undefined || looksLikeArn(url)) return;
  const reason = policy.checkUrl(url);
  if (reason !== undefined) throw ValidationError.at(['body', 'url'], reason, 'value_error.url');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * An http(s) URL, stored as the WHATWG parser serialises it (`http://bad.url2` → `http://bad.url2/`),
 * as Svix does; or an AWS-native destination's ARN (core/destinations/), stored as given.
 */
const url = z.pipe(
  z.string().check(
    z.maxLength(MAX_URL_LENGTH),
    z.refine((value) => (looksLikeArn(value) ? parseDestinationArn(value) !== undefined : isHttpUrl(value)), {
      message: 'must be an http or https URL, or the ARN of an SQS queue, SNS topic or EventBridge event bus',
      params: { type: 'value_error.url' },
    }),
  ),
  z.transform((value) => (looksLikeArn(value) ? value : new URL(value).href)),
);

/** An AWS-native destination's role (the destination itself is the `url`); `arn`, if sent, must equal it. */
const destination = z.object({
  roleArn: z.string().check(z.refine(isRoleArn, { message: 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)' })),
  arn: z.optional(z.string()),
});

/** A 422 when `destination.arn` is sent and is not the url. */
function checkDestinationArn(url: string | undefined, given: { arn?: string | undefined } | null | undefined): void {
  if (given?.arn !== undefined && given.arn !== url) {
    throw ValidationError.at(['body', 'destination', 'arn'], 'must equal url (the destination is the url; arn may be left out)');
  }
}

/** A payload filter: a JSON object here; its content is checked by checkFilter (core/filtering/). */
export const filterObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'filter must be a JSON object (an event pattern)', params: { type: 'type_error.dict' } },
);

/** A 422 located inside the filter, e.g. ["body","filter","payload","amount",0,"numeric"]. */
export function checkFilter(filter: Record<string, unknown> | null | undefined, root: (string | number)[] = ['body', 'filter']): void {
  if (filter === null || filter === undefined) return;
  const issues = validateFilter(filter);
  if (issues.length > 0) throw new ValidationError(issues.map((issue) => ({ ...issue, loc: [...root, ...issue.loc] })));
}

/** `ordering`: "fifo" (an ordered endpoint) or "unordered" (null, the default). */
const orderingOf = (ordering: 'fifo' | 'unordered' | null | undefined): 'fifo' | null | undefined =>
  ordering === 'unordered' ? null : ordering;

/** A 422 for `ordering: "fifo"` on a deployment without the FIFO queues (ENV.fanoutOrderedQueueUrl). */
export function checkOrderingAvailable(ordering: 'fifo' | null | undefined, available: boolean): void {
  if (ordering === 'fifo' && !available) {
    throw ValidationError.at(['body', 'ordering'], 'ordered (fifo) endpoints are not enabled on this deployment (no FIFO queues configured)');
  }
}

/** An empty filter list is no filter (null). */
const noEmpty = (names: string[] | null | undefined): string[] | null | undefined =>
  names !== null && names !== undefined && names.length === 0 ? null : names;

const common = {
  uid: nullish(uidFor('ep_')),
  throttleRate: nullish(throttleRate),
  rateLimit: nullish(throttleRate),
  eventTypes: nullish(eventTypeNames),
  filterTypes: nullish(eventTypeNames),
  channels: nullish(channels),
  filter: nullish(filterObject),
  ordering: nullish(z.enum(['fifo', 'unordered'])),
  destination: nullish(destination),
  metadata: nullish(stringMap),
  version: nullish(z.int()),
};

export const EndpointUpsertInSchema = z.object({
  url,
  description: nullish(description),
  disabled: nullish(z.boolean()),
  ...common,
});

export const EndpointInSchema = z.object({
  ...EndpointUpsertInSchema.shape,
  secret: nullish(z.string().check(z.maxLength(128))),
  headers: nullish(endpointHeaders),
});

export const EndpointPatchSchema = z.object({
  url: z.optional(url),
  description: z.optional(description),
  disabled: z.optional(z.boolean()),
  ...common,
});

type UpsertBody = z.infer<typeof EndpointUpsertInSchema>;

function toInput(b: UpsertBody): EndpointInput {
  return {
    url: b.url,
    description: b.description ?? '',
    uid: b.uid ?? null,
    disabled: b.disabled ?? false,
    eventTypes: noEmpty(b.eventTypes ?? b.filterTypes) ?? null,
    channels: b.channels ?? null,
    filter: b.filter ?? null,
    ordering: orderingOf(b.ordering) ?? null,
    destination: b.destination === undefined || b.destination === null ? b.destination : { roleArn: b.destination.roleArn },
    throttleRate: b.throttleRate ?? b.rateLimit ?? null,
    metadata: b.metadata ?? {},
  };
}

export function parseEndpointIn(body: unknown, policy?: AddressPolicy): EndpointInput {
  const b = parseOrThrow(EndpointInSchema, body);
  checkEndpointUrl(b.url, policy);
  checkDestinationArn(b.url, b.destination);
  checkFilter(b.filter);
  return { ...toInput(b), secret: b.secret ?? null, headers: b.headers ?? {} };
}

export function parseEndpointUpsertIn(body: unknown, policy?: AddressPolicy): EndpointInput {
  const b = parseOrThrow(EndpointUpsertInSchema, body);
  checkEndpointUrl(b.url, policy);
  checkDestinationArn(b.url, b.destination);
  checkFilter(b.filter);
  return toInput(b);
}

export function parseEndpointPatch(body: unknown, policy?: AddressPolicy): EndpointPatch {
  const b = parseOrThrow(EndpointPatchSchema, body);
  checkEndpointUrl(b.url, policy);
  checkDestinationArn(b.url, b.destination);
  checkFilter(b.filter);
  const patch: EndpointPatch = {};
  if (b.url !== undefined) patch.url = b.url;
  if (b.description !== undefined) patch.description = b.description;
  if (b.disabled !== undefined) patch.disabled = b.disabled;
  if (b.uid !== undefined) patch.uid = b.uid;
  if (b.channels !== undefined) patch.channels = b.channels;
  if (b.filter !== undefined) patch.filter = b.filter;
  if (b.ordering !== undefined) patch.ordering = orderingOf(b.ordering);
  if (b.destination !== undefined) patch.destination = b.destination === null ? null : { roleArn: b.destination.roleArn };
  if (b.metadata !== undefined) patch.metadata = b.metadata ?? {};
  const eventTypes = b.eventTypes !== undefined ? b.eventTypes : b.filterTypes;
  if (eventTypes !== undefined) patch.eventTypes = noEmpty(eventTypes) ?? null;
  const rate = b.throttleRate !== undefined ? b.throttleRate : b.rateLimit;
  if (rate !== undefined) patch.throttleRate = rate;
  return patch;
}
