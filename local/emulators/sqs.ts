/**
 * fauxqs, an in-process SQS emulator speaking the real JSON wire protocol; the same server is the local
 * S3 (big payloads, path-style URLs at the same endpoint).
 */
import { mkdirSync } from 'node:fs';
import { startFauxqs } from 'fauxqs';

export interface SqsEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs on 127.0.0.1; `dataDir` persists queues and messages (SQLite) across restarts, and
 * `s3Dir` S3 objects, as plain files: a deleted (expunged) payload is a deleted file, not a row whose
 * bytes stay in a database's free pages.
 */
export async function startSqsEmulator(options: { dataDir?: string; s3Dir?: string; port?: number } = {}): Promise<SqsEmulator> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  if (options.s3Dir !== undefined) mkdirSync(options.s3Dir, { recursive: true });
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.s3Dir === undefined ? {} : { s3StorageDir: options.s3Dir }),
  });
  return { endpoint: server.address, stop: () => server.stop() };
}
