/**
 * DynamoDB Local keeps its tables in one SQLite file, and SQLite leaves the bytes of deleted and
 * rewritten rows in free pages until something reuses them. An expunged payload or a deleted secret
 * would stay readable in the file that way: not through DynamoDB, but by anyone who reads the disk.
 * VACUUM rebuilds the file from its live rows only. It runs while no JVM has the file open: when the
 * stack stops, and before it starts (after a crash, the stop never ran).
 *
 * Node's own SQLite (`node:sqlite`, Node 22.5 and later) does it: no native module to install.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The file DynamoDB Local writes with `-sharedDb -dbPath <dir>`. */
export const SHARED_DB_FILE = 'shared-local-instance.db';

interface SqliteModule {
  DatabaseSync: new (path: string) => { exec(sql: string): void; close(): void };
}

/** Rebuilds `<dataDir>/shared-local-instance.db` without free pages; a directory without one is left alone. */
export function compactDatabase(dataDir: string): void {
  const file = join(dataDir, SHARED_DB_FILE);
  if (!existsSync(file)) return;
  // process.getBuiltinModule, not an import: test runners that resolve modules themselves may not know node:sqlite.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as SqliteModule;
  const db = new DatabaseSync(file);
  try {
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}
