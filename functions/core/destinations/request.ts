/**
 * One webhook as a message for an AWS-native destination. The Standard Webhooks headers travel as
 * message attributes (SQS, SNS) or beside the payload in the event's detail (EventBridge, which has
 * no attributes); endpoint custom headers are HTTP-only.
 *
 * What is signed: for SQS and SNS the message body, byte for byte as for HTTP (rawPayload when the
 * publisher gave one). EventBridge takes the detail as JSON and may re-serialise it, so there the
 * signature covers JSON.stringify(detail.payload), which is what a consumer recomputes.
 */
import type { Endpoint, EndpointDestination, Message } from '../model.ts';
import { signatureHeader } from '../signing/webhook-headers.ts';
import { parseDestinationArn, type DestinationArn } from './arn.ts';
import { oversizeReason } from './limits.ts';

/** The EventBridge `Source` of every event Sluice puts. */
export const EVENT_SOURCE = 'sluice';

export interface DestinationRequest {
  arn: string;
  target: DestinationArn;
  role: { arn: string; externalId: string; sessionName: string };
  /** SQS and SNS: the message body. EventBridge: the Detail (`{"headers":{…},"payload":…}`). */
  body: string;
  /** The message attributes (all of type String). Carried in the detail for EventBridge. */
  attributes: Record<string, string>;
  /** EventBridge's DetailType. */
  eventType: string;
  /** FIFO queues and topics: the group (the endpoint: its messages stay in order) and the deduplication id. */
  fifo?: { groupId: string; deduplicationId: string } | undefined;
}

export type DestinationPlan = { kind: 'send'; request: DestinationRequest } | { kind: 'refuse'; reason: string };

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The bytes SQS and SNS count: the body, plus each attribute's name, data type and value. */
function attributeMessageBytes(body: string, attributes: Record<string, string>): number {
  let bytes = utf8Bytes(body);
  for (const [name, value] of Object.entries(attributes)) bytes += utf8Bytes(name) + 'String'.length + utf8Bytes(value);
  return bytes;
}

/** The bytes EventBridge counts for an entry without Time or Resources: source, detail type and detail. */
const eventEntryBytes = (eventType: string, detail: string): number => utf8Bytes(EVENT_SOURCE) + utf8Bytes(eventType) + utf8Bytes(detail);

export function planDestinationMessage(input: {
  message: Message;
  endpoint: Endpoint;
  destination: EndpointDestination;
  now: Date;
}): DestinationPlan {
  const { message, endpoint, destination, now } = input;
  const target = parseDestinationArn(destination.arn);
  // The API stores only ARNs it parsed; this guards a stored item edited by hand.
  if (target === undefined) return { kind: 'refuse', reason: `Not sent: ${destination.arn} is not an SQS, SNS or EventBridge ARN` };
  // Serialised once: the publisher's raw bytes where the service keeps bytes, else the parsed payload.
  const signed = (target.type === 'events' ? undefined : message.rawPayload) ?? JSON.stringify(message.payload);
  const timestampSeconds = Math.floor(now.getTime() / 1000);
  const attributes = {
    'webhook-id': message.id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureHeader(message.id, timestampSeconds, signed, endpoint.secrets, now),
    'event-type': message.eventType,
  };
  const body = target.type === 'events' ? `{"headers":${JSON.stringify(attributes)},"payload":${signed}}` : signed;
  const bytes = target.type === 'events' ? eventEntryBytes(message.eventType, body) : attributeMessageBytes(body, attributes);
  const tooBig = oversizeReason(target.type, bytes);
  if (tooBig !== undefined) return { kind: 'refuse', reason: tooBig };
  return {
    kind: 'send',
    request: {
      arn: destination.arn,
      target,
      role: { arn: destination.roleArn, externalId: destination.externalId, sessionName: `sluice-${endpoint.id}` },
      body,
      attributes,
      eventType: message.eventType,
      fifo: target.fifo ? { groupId: endpoint.id, deduplicationId: `${message.id}-${timestampSeconds}` } : undefined,
    },
  };
}
