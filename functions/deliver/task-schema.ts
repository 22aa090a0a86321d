/** The delivery queue's task bodies (functions/core/tasks.ts), validated on receipt. */
import * as z from 'zod/mini';
import type { DeliveryTask } from '../core/tasks.ts';

export const DeliveryTaskSchema = z.object({
  appId: z.string(),
  msgId: z.string(),
  endpointId: z.string(),
  triggerType: z.union([z.literal(0), z.literal(1)]),
});

// Fails to compile if the schema and the contract drift apart.
const _sameShape: z.infer<typeof DeliveryTaskSchema> extends DeliveryTask ? true : never = true;
void _sameShape;
