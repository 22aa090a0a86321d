/**
 * Nothing secret or expunged stays in the clear in the local stack's state directory (.sluice/: the
 * DynamoDB Local database, fauxqs's SQLite, the key files aside). The svix SDK sends an
 * idempotency-key on every POST, and the idempotency layer keeps 2xx answers for 12 h: an
 * app-portal token must be kept sealed, and a publish answer with its payload only as a reference,
 * so that an expunged payload is gone from the disk and from replays alike.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Svix } from 'svix';
import { startSluice, type RunningSluice } from '../../local/stack.ts';

const SECRET_KEY_PART = 'Q2Fm9sB1IhrscChlQIMVx5b5sSYspob7oD'.slice(0, 32);
const SECRET = `whsec_${SECRET_KEY_PART}`;
const KEPT_MARKER = 'kept-payload-marker-5d1e';
const EXPUNGED_MARKER = 'expunged-payload-marker-a93f';

let dataDir: string;
let sluice: RunningSluice | undefined;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function post(path: string, body: unknown, idempotencyKey: string): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${sluice!.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sluice!.adminToken}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

/** Every file under `dir` whose bytes contain `needle` (UTF-8). */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(bytes)) found.push(path);
  }
  return found;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-at-rest-'));
  sluice = await startSluice({ dataDir, logLevel: 'SILENT' });
});

afterAll(async () => {
  await sluice?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('tokens, secrets and expunged payloads are not on disk in the clear; replays still answer the same', async () => {
  const svix = new Svix(sluice!.adminToken, { serverUrl: sluice!.url });
  const app = await svix.application.create({ name: 'At rest', uid: 'at-rest' });
  await svix.endpoint.create(app.id, { url: 'http://127.0.0.1:9/hook', secret: SECRET, uid: 'main' });

  // An app-portal token through the SDK (auto idempotency key), and one with a key we replay.
  const viaSdk = await svix.authentication.appPortalAccess(app.id, {});
  const first = await post(`/auth/app-portal-access/${app.id}`, {}, 'portal-key-1');
  const replayed = await post(`/auth/app-portal-access/${app.id}`, {}, 'portal-key-1');
  expect(first.status).toBe(200);
  expect(replayed.json).toEqual(first.json);
  const tokens = [viaSdk.token, first.json.token as string];

  // Payloads published with content in the answer: one kept, one expunged afterwards.
  const kept = await post(`/app/${app.id}/msg?with_content=true`, { eventType: 'a.b', payload: { note: KEPT_MARKER } }, 'msg-key-1');
  const gone = await post(`/app/${app.id}/msg?with_content=true`, { eventType: 'a.b', payload: { note: EXPUNGED_MARKER } }, 'msg-key-2');
  expect(kept.json.payload).toEqual({ note: KEPT_MARKER });
  expect(gone.json.payload).toEqual({ note: EXPUNGED_MARKER });
  await svix.message.expungeContent(app.id, gone.json.id as string);

  // Replays: the same message, rendered from what is stored now.
  const keptAgain = await post(`/app/${app.id}/msg?with_content=true`, { eventType: 'a.b', payload: { note: KEPT_MARKER } }, 'msg-key-1');
  const goneAgain = await post(`/app/${app.id}/msg?with_content=true`, { eventType: 'a.b', payload: { note: EXPUNGED_MARKER } }, 'msg-key-2');
  expect(keptAgain).toEqual(kept);
  expect(goneAgain.status).toBe(202);
  expect(goneAgain.json.id).toBe(gone.json.id);
  expect(JSON.stringify(goneAgain.json)).not.toContain(EXPUNGED_MARKER);

  // Stop the stack so everything is flushed, then read every byte under the state directory.
  await sluice!.stop();
  sluice = undefined;
  expect(filesContaining(dataDir, KEPT_MARKER).length).toBeGreaterThan(0); // the scan does see the database
  for (const token of tokens) expect(filesContaining(dataDir, token)).toEqual([]);
  expect(filesContaining(dataDir, SECRET_KEY_PART)).toEqual([]);
  expect(filesContaining(dataDir, EXPUNGED_MARKER)).toEqual([]);
});
