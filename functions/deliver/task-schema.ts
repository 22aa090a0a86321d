/** The delivery queue's task bodies (functions/core/tasks/tasks.ts), validated on receipt. */
import * as z from 'zod/mini';
import type { DeliveryTask, OperationalWebhookTask } from '../core/tasks/tasks.ts';

export const DeliveryTaskSchema = z.object({
  appId: z.string(),
  msgId: z.string(),
  endpointId: z.string(),
  triggerType: z.union([z.literal(0), z.literal(1)]),
  diverted: z.optional(z.boolean()),
  endpointRevision: z.optional(z.number()),
});

export const OperationalTaskSchema = z.object({
  kind: z.literal('operational'),
  id: z.string().check(z.minLength(1)),
  event: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }),
});

/** A delivery task, or (with `kind: 'operational'`) an operational webhook. */
export const DeliveryQueueTaskSchema = z.union([OperationalTaskSchema, DeliveryTaskSchema]);

export type DeliveryQueueTask = DeliveryTask | OperationalWebhookTask;

export const isOperational = (task: DeliveryQueueTask): task is OperationalWebhookTask => 'kind' in task && task.kind === 'operational';

// Fail to compile if the schemas and the contracts drift apart.
const _sameShape: z.infer<typeof DeliveryTaskSchema> extends DeliveryTask ? true : never = true;
const _sameOperational: z.infer<typeof OperationalTaskSchema> extends OperationalWebhookTask ? true : never = true;
void _sameShape;
void _sameOperational;
