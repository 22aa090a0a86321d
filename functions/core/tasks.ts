/** The bodies of queue tasks. Tasks carry ids, never payloads: the payload is stored once. */
import type { TriggerType } from './model.ts';

/** Fan-out queue: one per published message. */
export interface FanoutTask {
  appId: string;
  msgId: string;
}

/** Delivery queue: one per (message, endpoint). */
export interface DeliveryTask {
  appId: string;
  msgId: string;
  endpointId: string;
  /** 0 scheduled (retried on failure), 1 manual (resend/recover: one attempt, not retried). */
  triggerType: TriggerType;
}

export interface FanoutQueue {
  send(task: FanoutTask): Promise<void>;
}

export interface DeliveryQueue {
  /** Sends in batches of up to 10; rejects if any task could not be queued. */
  sendAll(tasks: DeliveryTask[]): Promise<void>;
}
