/**
 * SQLite keeps deleted rows' bytes in free pages; compactDatabase rebuilds the file without them. The
 * file here is a real SQLite database written by Node's own SQLite, as DynamoDB Local's is by its own.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DB_FILE, compactDatabase } from '../../local/emulators/database-compaction.ts';

interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown; all(): unknown[] };
  close(): void;
}
const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as { DatabaseSync: new (path: string) => Db };

const DELETED = 'deleted-marker-7c1b';
const KEPT = 'kept-marker-02fa';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-compact-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a deleted row is in the file until compaction, and the live rows survive it', () => {
  const file = join(dir, SHARED_DB_FILE);
  const db = new DatabaseSync(file);
  db.exec('PRAGMA secure_delete = OFF; CREATE TABLE items (k TEXT PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  for (let i = 0; i < 50; i++) insert.run(`d${i}`, `${DELETED} ${'x'.repeat(2000)}`);
  insert.run('kept', KEPT);
  db.exec("DELETE FROM items WHERE k LIKE 'd%'");
  db.close();
  expect(readFileSync(file).includes(DELETED)).toBe(true); // what DynamoDB Local leaves behind

  compactDatabase(dir);

  expect(readFileSync(file).includes(DELETED)).toBe(false);
  const reopened = new DatabaseSync(file);
  expect(reopened.prepare('SELECT k, v FROM items').all()).toEqual([{ k: 'kept', v: KEPT }]);
  reopened.close();
});

test('a state directory without a database is left alone', () => {
  expect(() => compactDatabase(dir)).not.toThrow();
  expect(() => compactDatabase(join(dir, 'missing'))).not.toThrow();
});
