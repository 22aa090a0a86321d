/**
 * DELETE /app/{app}/msg/{msg}/content: the payload is deleted for good (its MSGPAY item, raw payload
 * included), so reads show `{"expired": true}`, a resend answers 400 missing_payload and a queued
 * delivery records a failed attempt instead of sending, as after retention. The message record stays
 * in the lists. One DeleteItem.
 */
import type { Stores } from '../ports.ts';
import { requireApplication } from '../applications/service.ts';
import { requireMessage } from './service.ts';

export async function expungeMessageContent(stores: Stores, appIdOrUid: string, msgIdOrEventId: string): Promise<void> {
  const app = await requireApplication(stores, appIdOrUid);
  const message = await requireMessage(stores, app.id, msgIdOrEventId);
  await stores.messages.expungePayload(app.id, message.id);
}
