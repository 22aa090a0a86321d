/** The queue-depth port: what GET /ops/queues, the dashboard's operator and the local status line read. */

/** 'fanout', 'delivery', and 'delivery-slow' where the slow lane exists. */
export type QueueLabel = string;

export interface QueueStat {
  name: QueueLabel;
  /** Waiting to be received. */
  visible: number;
  /** Received and not yet deleted: being worked on, or failed and waiting for its retry delay. */
  inFlight: number;
  /** Sent with a delay (scheduled deliveries, queued retries) that has not elapsed yet. */
  delayed: number;
  /** Visible in the queue's dead-letter queue: tasks that will not run until redriven. */
  dlqVisible: number;
}

export interface QueueStats {
  /** Approximate, as SQS reports them (eventually consistent, about a minute). */
  read(): Promise<QueueStat[]>;
}
