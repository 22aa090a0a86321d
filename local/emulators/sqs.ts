/** fauxqs, an in-process SQS emulator speaking the real JSON wire protocol. */
import { mkdirSync } from 'node:fs';
import { startFauxqs } from 'fauxqs';

export interface SqsEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts fauxqs on 127.0.0.1; `dataDir` persists queues and messages (SQLite) across restarts. */
export async function startSqsEmulator(options: { dataDir?: string; port?: number } = {}): Promise<SqsEmulator> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  return { endpoint: server.address, stop: () => server.stop() };
}
