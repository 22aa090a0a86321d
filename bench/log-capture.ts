/**
 * The functions' JSON log lines (Powertools writes them to stdout), counted and kept off the terminal
 * while the benchmark runs: their bytes are what CloudWatch Logs would ingest. Anything else written
 * to stdout meanwhile is passed through.
 */
export interface LogCapture {
  /** Bytes of log lines since the last reset, by Powertools service name. */
  bytesByService(): Record<string, number>;
  totalBytes(): number;
  reset(): void;
  restore(): void;
}

const SERVICE = /"service":"([^"]+)"/;

export function captureFunctionLogs(): LogCapture {
  const original = process.stdout.write.bind(process.stdout);
  let counts: Record<string, number> = {};
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{')) {
      const service = SERVICE.exec(text)?.[1] ?? 'unknown';
      counts[service] = (counts[service] ?? 0) + Buffer.byteLength(text);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  };
  process.stdout.write = write as typeof process.stdout.write;
  return {
    bytesByService: () => ({ ...counts }),
    totalBytes: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = {};
    },
    restore: () => {
      process.stdout.write = original;
    },
  };
}
