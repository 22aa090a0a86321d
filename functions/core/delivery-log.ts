/**
 * The logging the delivery and fan-out services need. Powertools' Logger satisfies it; the domain
 * does not import it.
 */
export interface TaskLog {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}
