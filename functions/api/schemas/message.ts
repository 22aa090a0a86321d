/** MessageIn: the payload must be a JSON object; retention in days (1–90) or hours (1–2160). */
import * as z from 'zod/mini';
import { PayloadTooLargeError, ValidationError } from '../../core/errors.ts';
import { LIMITS } from '../limits.ts';
import { DEFAULT_RETENTION_HOURS, type MessageInput } from '../../core/messages/service.ts';
import { deliverAtTooFar } from '../../core/fanout/scheduled-delivery.ts';
import { parseDateTime } from '../../core/validation/dates.ts';
import { ApplicationInSchema, toApplicationInput } from './application.ts';
import { channels, name, nullish, tags } from './common.ts';
import { parseOrThrow } from './issues.ts';

/** A JSON object, not an array or a scalar. */
const payload = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'payload must be a JSON object', params: { type: 'type_error.dict' } },
);

export const MessageInSchema = z.object({
  eventType: name,
  payload,
  eventId: nullish(name),
  channels: nullish(channels),
  tags: nullish(tags),
  application: nullish(ApplicationInSchema),
  deliverAt: nullish(z.string()),
  payloadRetentionPeriod: nullish(z.int().check(z.gte(1), z.lte(90))),
  payloadRetentionHours: nullish(z.int().check(z.gte(1), z.lte(2160))),
  /** Svix's `transformationsParams.rawPayload`: the exact body to send instead of the payload's JSON. */
  transformationsParams: nullish(z.object({ rawPayload: nullish(z.string()) })),
});

/** `now`: the clock deliverAt is checked against (at most 24 h ahead; a past one means at once). */
export function parseMessageIn(body: unknown, now: Date = new Date(), maxPayloadBytes: number = LIMITS.payloadBytes): MessageInput {
  const b = parseOrThrow(MessageInSchema, body);
  // The body's depth was bounded before parsing (json-body), so stringify can't overflow the stack.
  const rawPayload = b.transformationsParams?.rawPayload ?? null;
  // Both are stored (and the raw one sent): the limit is on what is kept.
  const payloadBytes = Buffer.byteLength(JSON.stringify(b.payload)) + (rawPayload === null ? 0 : Buffer.byteLength(rawPayload));
  if (payloadBytes > maxPayloadBytes) {
    throw new PayloadTooLargeError(`The message payload is ${payloadBytes} bytes; the limit is ${maxPayloadBytes} bytes`);
  }
  let deliverAt: string | null = null;
  if (b.deliverAt != null) {
    const date = parseDateTime(b.deliverAt);
    if (date === undefined) throw ValidationError.at(['body', 'deliverAt'], 'must be an RFC 3339 date-time');
    deliverAt = date.toISOString();
    if (deliverAtTooFar(deliverAt, now)) throw ValidationError.at(['body', 'deliverAt'], 'must be no more than 24 hours in the future');
  }
  const retentionHours =
    b.payloadRetentionHours ?? (b.payloadRetentionPeriod != null ? b.payloadRetentionPeriod * 24 : DEFAULT_RETENTION_HOURS);
  return {
    eventType: b.eventType,
    payload: b.payload,
    eventId: b.eventId ?? null,
    channels: b.channels ?? null,
    tags: b.tags ?? null,
    deliverAt,
    retentionHours,
    application: b.application == null ? undefined : toApplicationInput(b.application),
    ...(rawPayload === null ? {} : { rawPayload }),
  };
}
