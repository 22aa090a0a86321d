/**
 * The port for one send to an AWS-native destination. Like the HTTP sender it never throws: the
 * adapter (functions/adapters/aws-destinations/) turns every end of a send (accepted, refused by AWS,
 * the role not assumable, throttled, timed out, unreachable) into a SendOutcome, so retries, the
 * attempt log and auto-disable treat a destination exactly like a URL.
 */
import type { SendOutcome } from '../delivery/sender.ts';
import type { Endpoint, EndpointDestination, Message } from '../model.ts';
import { planDestinationMessage, type DestinationRequest } from './request.ts';

export interface DestinationSender {
  send(request: DestinationRequest): Promise<SendOutcome>;
}

/** Signs and sends `message` to the endpoint's destination; `sender` absent: this worker has none. */
export async function sendToDestination(
  sender: DestinationSender | undefined,
  message: Message,
  endpoint: Endpoint,
  destination: EndpointDestination,
  now: Date,
): Promise<SendOutcome> {
  const plan = planDestinationMessage({ message, endpoint, destination, now });
  // Too big for the service: no later attempt can fit either, so the failure is final.
  if (plan.kind === 'refuse') return { kind: 'http-error', statusCode: 413, body: plan.reason, durationMs: 0, final: true };
  if (sender === undefined) {
    return { kind: 'network-error', message: 'Not sent: AWS destinations are not configured on this delivery worker', durationMs: 0 };
  }
  return sender.send(plan.request);
}
