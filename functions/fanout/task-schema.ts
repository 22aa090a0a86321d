/** The fan-out queue's task bodies (functions/core/tasks/tasks.ts), validated on receipt. */
import * as z from 'zod/mini';
import type { FanoutTask } from '../core/tasks/tasks.ts';

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date'));

export const FanoutTaskSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    appId: z.string(),
    msgId: z.string(),
    eventType: z.optional(z.string()),
    channels: z.optional(z.nullable(z.array(z.string()))),
    deliverAt: z.optional(isoDate),
  }),
  z.object({
    kind: z.literal('recover'),
    taskId: z.string(),
    appId: z.string(),
    endpointId: z.string(),
    since: isoDate,
    until: isoDate,
  }),
]);

// Fails to compile if the schema and the contract drift apart.
const _sameShape: z.infer<typeof FanoutTaskSchema> extends FanoutTask ? true : never = true;
void _sameShape;
