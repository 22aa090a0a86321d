/**
 * A task that can never succeed however often it is retried: a malformed body, or a message that does
 * not exist. Consumers hand it straight back (visibility 0) so it reaches the dead-letter queue after
 * the queue's maxReceiveCount receives in seconds, not after maxReceiveCount visibility timeouts.
 */
export class PoisonTaskError extends Error {
  override readonly name = 'PoisonTaskError';
}
