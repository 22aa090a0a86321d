/** The domain entities (Svix's model). Timestamps are ISO 8601 UTC strings. */

export interface Application {
  id: string;
  uid: string | null;
  name: string;
  throttleRate: number | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  /**
   * Set once the app has (or had) an ordered endpoint (core/ordering/): its messages are then fanned
   * out through the FIFO fan-out queue, in publish order. Never cleared; not part of ApplicationOut.
   */
  orderedDelivery?: boolean;
}

export interface EventType {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, unknown> | null;
  groupName: string | null;
  featureFlags: string[] | null;
  createdAt: string;
  updatedAt: string;
}

export interface SigningSecret {
  /** `whsec_` + base64 of the raw key bytes. */
  key: string;
  /** Null for the current secret; set for rotated-out secrets still valid until then. */
  expiresAt: string | null;
}

export type EndpointOrdering = 'fifo';

export interface Endpoint {
  id: string;
  appId: string;
  uid: string | null;
  url: string;
  description: string;
  disabled: boolean;
  /** Null or absent: every event type. */
  eventTypes: string[] | null;
  /** Null or absent: messages with or without channels. */
  channels: string[] | null;
  /**
   * A payload filter (an EventBridge event pattern over `{eventType, channels, tags, payload}`,
   * core/filtering/); null or absent: none. Valid whenever stored (the API refuses invalid ones).
   */
  filter?: Record<string, unknown> | null;
  /**
   * 'fifo': messages reach the endpoint strictly in publish order, one in flight at a time
   * (core/ordering/); null or absent: unordered (the default, at full speed).
   */
  ordering?: EndpointOrdering | null;
  throttleRate: number | null;
  metadata: Record<string, string>;
  /** Extra headers sent with every webhook. */
  headers: Record<string, string>;
  /** Current secret first, then rotated-out ones. */
  secrets: SigningSecret[];
  createdAt: string;
  updatedAt: string;
  /**
   * Delivery-lane state (core/isolation/endpoint-lanes.ts), written by delivery workers and never
   * by the API: until then the endpoint's deliveries run in the slow lane. Not part of EndpointOut.
   */
  slowUntil?: string | null;
  /**
   * Bumped by every write of the endpoint's settings (absent: 0, never written since created). Delivery
   * tasks carry the revision fan-out read, so a worker's cached copy is used only when it is as new.
   */
  revision?: number;
}

export interface Message {
  id: string;
  appId: string;
  eventType: string;
  /** The JSON object published, or null once retention has purged it. */
  payload: Record<string, unknown> | null;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
  timestamp: string;
  deliverAt: string | null;
  /** When the payload is purged. */
  payloadExpiresAt: string;
  /**
   * MessageIn.transformationsParams.rawPayload: the exact body to send (and sign) instead of
   * JSON.stringify(payload). Stored and purged with the payload.
   */
  rawPayload?: string | null;
  /**
   * Set by a list page that left this payload out (a big payload kept in S3, beyond what one page
   * may carry): the message read by itself has it.
   */
  payloadOmitted?: boolean;
}

export const AttemptStatus = { Success: 0, Pending: 1, Fail: 2, Sending: 3, Canceled: 4 } as const;
export type AttemptStatus = (typeof AttemptStatus)[keyof typeof AttemptStatus];
export const ATTEMPT_STATUS_TEXT: Record<AttemptStatus, string> = {
  0: 'success',
  1: 'pending',
  2: 'fail',
  3: 'sending',
  4: 'canceled',
};

export const TriggerType = { Scheduled: 0, Manual: 1 } as const;
export type TriggerType = (typeof TriggerType)[keyof typeof TriggerType];

export interface MessageAttempt {
  id: string;
  appId: string;
  msgId: string;
  endpointId: string;
  url: string;
  timestamp: string;
  /** 0 when no HTTP response was received (timeout, connection error, refused). */
  responseStatusCode: number;
  /** The receiver's body, truncated; or the reason no response was received. */
  response: string;
  responseDurationMs: number;
  status: AttemptStatus;
  triggerType: TriggerType;
  /** 1-based attempt number within its task. */
  attemptNumber: number;
  /** Copied from the message so attempt lists can filter without reading messages. */
  eventType: string;
  channels: string[] | null;
  tags: string[] | null;
}

/** The latest state of one message for one endpoint. */
export interface DeliveryStatus {
  appId: string;
  msgId: string;
  endpointId: string;
  status: AttemptStatus;
  /** Scheduled (triggerType 0) attempts logged so far: the next scheduled attempt is number attempts + 1. */
  attempts: number;
  /** Null while no attempt has been made yet (a task held back by the endpoint's throttle). */
  lastAttemptAt: string | null;
  /** When the next automatic attempt is due; null when none is scheduled. */
  nextAttemptAt: string | null;
  /** A send slot (epoch ms) reserved under the endpoint's throttleRate for the task `throttleTaskId`. */
  throttleSlotMs?: number | null;
  /** The queue task (SQS message id) that holds `throttleSlotMs`. */
  throttleTaskId?: string | null;
}

export type BackgroundTaskStatus = 'running' | 'finished' | 'failed';
/** Svix's BackgroundTaskType values that Sluice runs. */
export type BackgroundTaskKind = 'endpoint.recover';

/** A long-running operation answered at once with its `qtask_…` id and polled through /background-task. */
export interface BackgroundTask {
  id: string;
  appId: string;
  task: BackgroundTaskKind;
  status: BackgroundTaskStatus;
  /** What the task was asked to do and, once finished, what it did (e.g. `{requeued: 3}`). */
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}
