/** The bodies of queue tasks. Tasks carry ids, never payloads: the payload is stored once. */
import type { TriggerType } from '../model.ts';

/** Fan-out queue, kind 'message': one per published message; routes it to every matching endpoint. */
export interface MessageFanoutTask {
  kind: 'message';
  appId: string;
  msgId: string;
  /**
   * The message's routing fields, carried so fan-out need not read the message (both set by the api
   * since they were added; tasks queued before lack them and fan-out reads the message instead).
   */
  eventType?: string;
  channels?: string[] | null;
  /** MessageIn.deliverAt (ISO 8601), when set: fan-out holds the task until then (core/scheduled-delivery.ts). */
  deliverAt?: string;
}

/**
 * Fan-out queue, kind 'recover' (POST …/endpoint/{id}/recover): re-queues, as manual attempts, the
 * endpoint's messages in [since, until] whose delivery failed with no success.
 */
export interface RecoverFanoutTask {
  kind: 'recover';
  /** The `qtask_…` id returned to the caller. */
  taskId: string;
  appId: string;
  endpointId: string;
  since: string;
  until: string;
}

export type FanoutTask = MessageFanoutTask | RecoverFanoutTask;

/** Delivery queue: one per (message, endpoint). */
export interface DeliveryTask {
  appId: string;
  msgId: string;
  endpointId: string;
  /** 0 scheduled (retried on failure), 1 manual (resend/recover: one attempt, not retried). */
  triggerType: TriggerType;
  /**
   * Set when a worker moved the task to the slow lane (core/isolation/endpoint-lanes.ts): its first
   * receive there is not necessarily its first, so its attempt number is read from the log.
   */
  diverted?: boolean;
  /**
   * The endpoint revision fan-out routed the message with (Endpoint.revision): a delivery worker uses
   * its cached copy of the endpoint only if it is at least this new, so an edit answered before the
   * publish is always seen. Absent (manual tasks, older tasks): the cache's TTL alone decides.
   */
  endpointRevision?: number;
}

/**
 * Delivery queue, kind 'operational': one operational webhook (endpoint.disabled,
 * message.attempt.exhausted, …) for the operator's URL. Small, so it carries its payload.
 */
export interface OperationalWebhookTask {
  kind: 'operational';
  /** The webhook-id: deterministic per event, so a receiver can dedupe an at-least-once repeat. */
  id: string;
  /** The JSON body: `{type, data}` as Svix documents it. */
  event: { type: string; data: Record<string, unknown> };
}

/** Sends operational webhook tasks (to the delivery queue). */
export interface OperationalQueue {
  send(task: OperationalWebhookTask): Promise<void>;
}

export interface FanoutSendOptions {
  /** Seconds before the task can be received (0–900, SQS DelaySeconds); default 0. */
  delaySeconds?: number;
  /**
   * The app has ordered endpoints (Application.orderedDelivery): the task joins the app's group in the
   * FIFO fan-out queue, so the app's messages are fanned out one at a time in publish order. Not
   * combined with a delay (scheduled messages take the plain queue).
   */
  ordered?: boolean;
}

export interface FanoutQueue {
  send(task: FanoutTask, options?: FanoutSendOptions): Promise<void>;
}

export interface DeliveryQueue {
  /**
   * Sends in batches of up to 10; rejects if any task could not be queued. The ordered queue keeps
   * the order of `tasks` within each endpoint.
   */
  sendAll(tasks: DeliveryTask[]): Promise<void>;
}

/** Delays a received task: the queue hands it back after `seconds` (the next attempt). */
export interface TaskVisibility {
  delay(receiptHandle: string, seconds: number): Promise<void>;
}
