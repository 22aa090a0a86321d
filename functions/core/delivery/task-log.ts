/**
 * The logging the delivery and fan-out services need. Powertools' Logger satisfies it; the domain
 * does not import it.
 */
export interface TaskLog {
  /** The per-webhook success lines: off at the deployed level (INFO), so CloudWatch ingests only what needs attention. */
  debug(message: string, extra: Record<string, unknown>): void;
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}
