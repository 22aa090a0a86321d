/**
 * The port for one outbound webhook POST. The adapter (functions/adapters/http/webhook-sender.ts)
 * never throws: every way an attempt can end is a SendOutcome, which the retry policy reads.
 */

/** An HTTP webhook; AWS-native destinations have their own port (../destinations/sender.ts). */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes to send (signed over). */
  body: string;
}

interface OutcomeBase {
  /** Time from starting the request to finishing reading the (truncated) response. */
  durationMs: number;
}

export interface SuccessOutcome extends OutcomeBase {
  kind: 'success';
  statusCode: number;
  /** Response body, truncated to DELIVERY.responseBodyMaxBytes. */
  body: string;
}

export interface HttpErrorOutcome extends OutcomeBase {
  kind: 'http-error';
  /** Any non-2xx status, 3xx included (redirects are not followed). */
  statusCode: number;
  body: string;
  /** The receiver's Retry-After, in seconds from now, when it sent a usable one. */
  retryAfterSeconds?: number;
  /** Refused for good (a webhook too big for its destination): no later attempt can succeed. */
  final?: boolean;
}

export interface TimeoutOutcome extends OutcomeBase {
  kind: 'timeout';
  message: string;
}

export interface NetworkErrorOutcome extends OutcomeBase {
  kind: 'network-error';
  message: string;
}

export type SendOutcome = SuccessOutcome | HttpErrorOutcome | TimeoutOutcome | NetworkErrorOutcome;

export interface WebhookSender {
  send(request: WebhookRequest): Promise<SendOutcome>;
}
