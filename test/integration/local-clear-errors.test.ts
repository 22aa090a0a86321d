/**
 * `npm start` explains what went wrong: a start that cannot work says why in one line (no Java, a
 * port in use), and the running stack answers everything in Svix's error shape: requests node:http
 * cannot parse, and text fields with lone surrogates or NUL (422).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi, runLocalMainToExit, startLocalMain, type Json, type LocalMain } from '../support/local-main.ts';

const roots: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

/** The one line a failed start prints (and nothing else: no stack trace). */
function onlyLine(output: string): string {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('a start that cannot work says why in one line', () => {
  test('no Java on PATH: how to install Java 17', async () => {
    // A PATH with nothing on it: no java (the child itself is started by absolute path).
    const emptyBin = tempDir('sluice-no-java-bin-');
    const { code, output } = await runLocalMainToExit({ PATH: emptyBin, PORT: '0', SLUICE_DATA_DIR: tempDir('sluice-no-java-') });
    expect(code).toBe(1);
    const line = onlyLine(output);
    expect(line).toMatch(/^sluice: failed to start: .*Java 17 or later/);
    expect(line).toContain('apt-get install openjdk-17-jre-headless');
    expect(line).toContain('brew install openjdk@17');
    expect(line).not.toContain('ENOENT');
  }, 60_000);

  test('a Java older than 17: the same line', async () => {
    // A stand-in `java` that fails as Java 11 fails on DynamoDB Local's classes (nothing older runs here).
    const oldJavaBin = tempDir('sluice-old-java-bin-');
    writeFileSync(
      join(oldJavaBin, 'java'),
      '#!/bin/sh\necho "Error: LinkageError occurred while loading main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner" >&2\n' +
        'echo "java.lang.UnsupportedClassVersionError: has been compiled by a more recent version of the Java Runtime (class file version 61.0)" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const { code, output } = await runLocalMainToExit({ PATH: oldJavaBin, PORT: '0', SLUICE_DATA_DIR: tempDir('sluice-old-java-') });
    expect(code).toBe(1);
    expect(onlyLine(output)).toMatch(/^sluice: failed to start: the java on PATH is too old\. DynamoDB Local needs Java 17 or later.*openjdk-17-jre-headless/);
  }, 60_000);

  test('a port in use: suggests PORT=', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const { code, output } = await runLocalMainToExit({ PORT: String(port), SLUICE_DATA_DIR: tempDir('sluice-port-') });
      expect(code).toBe(1);
      expect(onlyLine(output)).toMatch(new RegExp(`^sluice: failed to start: port ${port} .*in use.*PORT=\\d+ npm start`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60_000);
});

describe('the running stack', () => {
  let stack: LocalMain;
  let appId: string;

  beforeAll(async () => {
    const dataDir = tempDir('sluice-errors-');
    mkdirSync(dataDir, { recursive: true });
    stack = await startLocalMain({ PORT: '0', SLUICE_DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' });
    appId = (await callApi(stack, 'POST', '/app', { name: 'errors' })).json.id;
  }, 120_000);
  afterAll(() => stack?.stop());

  /** Sends raw bytes and reads the whole answer (the front closes after a client error). */
  function raw(text: string): Promise<{ status: number; headers: string; body: string }> {
    const { hostname, port } = new URL(stack.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('end', () => {
        const response = Buffer.concat(chunks).toString();
        const split = response.indexOf('\r\n\r\n');
        resolve({ status: Number(response.split(' ')[1]), headers: response.slice(0, split), body: response.slice(split + 4) });
      });
      socket.end(text);
    });
  }

  test.each([
    ['a URL over the header limit', `GET /api/v1/app?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['headers over the limit', `GET /api/v1/app HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431],
    ['a malformed request line', 'NOT AN HTTP REQUEST\r\n\r\n', 400],
    ['a malformed header line', 'GET /api/v1/app HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', 400],
  ])('%s: a JSON error in the Svix shape', async (_name, request, status) => {
    const answer = await raw(request);
    expect(answer.status).toBe(status);
    expect(answer.headers.toLowerCase()).toContain('content-type: application/json');
    const body = JSON.parse(answer.body) as Json;
    expect(body).toEqual({ code: expect.any(String), detail: expect.any(String) });
    // The server keeps serving.
    expect((await callApi(stack, 'GET', '/app')).status).toBe(200);
  });

  const LONE_HIGH = 'abc\ud83d';
  const LONE_LOW = '\udc00abc';
  const NUL = 'a\u0000b';
  test.each<[string, () => string, (bad: string) => Json, (string | number)[]]>([
    ['application name (lone surrogate)', () => '/app', (bad) => ({ name: bad }), ['body', 'name']],
    ['application name (NUL)', () => '/app', () => ({ name: NUL }), ['body', 'name']],
    ['application metadata value', () => '/app', (bad) => ({ name: 'ok', metadata: { k: bad } }), ['body', 'metadata', 'k']],
    ['application metadata key', () => '/app', () => ({ name: 'ok', metadata: { [NUL]: 'v' } }), ['body', 'metadata', NUL]],
    ['endpoint description', () => `/app/${appId}/endpoint`, (bad) => ({ url: 'http://127.0.0.1:9/x', description: bad }), ['body', 'description']],
    ['endpoint metadata value', () => `/app/${appId}/endpoint`, () => ({ url: 'http://127.0.0.1:9/x', metadata: { k: NUL } }), ['body', 'metadata', 'k']],
    ['event-type description', () => '/event-type', (bad) => ({ name: 'errors.test', description: bad }), ['body', 'description']],
    ['event-type name', () => '/event-type', () => ({ name: NUL, description: 'ok' }), ['body', 'name']],
    ['app portal session id', () => `/auth/app-portal-access/${appId}`, (bad) => ({ sessionId: bad }), ['body', 'sessionId']],
  ])('%s: 422', async (_name, path, body, loc) => {
    for (const bad of [LONE_HIGH, LONE_LOW]) {
      const answer = await callApi(stack, 'POST', path(), body(bad));
      expect(answer.status).toBe(422);
      expect(answer.json.detail).toContainEqual(expect.objectContaining({ loc }));
    }
  });

  test('well-formed text, astral characters included, is accepted and read back as sent', async () => {
    const name = 'Acme 😀 – Ünïcödé';
    const created = await callApi(stack, 'POST', '/app', { name, metadata: { 'clé': '値' } });
    expect(created.status).toBe(201);
    const read = await callApi(stack, 'GET', `/app/${created.json.id}`);
    expect(read.json).toMatchObject({ name, metadata: { 'clé': '値' } });
  });
});
