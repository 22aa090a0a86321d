/** `npm start`'s settings: defaults, validation through loadConfig, and the admin token kept on disk. */
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAdminToken } from '../../local/admin-token.ts';
import { readLocalSettings } from '../../local/local-settings.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-settings-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('defaults: port 8787, state in .sluice, private networks allowed, Svix retry schedule', () => {
  const s = readLocalSettings({}, root);
  expect(s.port).toBe(8787);
  expect(s.dataDir).toBe(join(root, '.sluice'));
  expect(s.environment.allowPrivateNetworks).toBe(true);
  expect(s.environment.retryScheduleSeconds).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
});

test('the generated admin token is saved with mode 0600 and reused on the next start', () => {
  const first = readLocalSettings({}, root).adminToken;
  expect(first).toMatch(/^sluice_admin_[A-Za-z0-9_-]{43}$/);
  const file = join(root, '.sluice', 'admin-token');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8').trim()).toBe(first);
  expect(readLocalSettings({}, root).adminToken).toBe(first);
});

test('SLUICE_ADMIN_TOKEN wins and nothing is written', () => {
  const token = generateAdminToken();
  expect(readLocalSettings({ SLUICE_ADMIN_TOKEN: token }, root).adminToken).toBe(token);
  expect(() => statSync(join(root, '.sluice', 'admin-token'))).toThrow();
});

test('environment overrides are parsed with the Lambdas\' schema', () => {
  const s = readLocalSettings(
    { PORT: '9999', SLUICE_RETRY_SCHEDULE: '1,2', SLUICE_ALLOW_PRIVATE_NETWORKS: 'false', SLUICE_DATA_DIR: 'state' },
    root,
  );
  expect(s).toMatchObject({ port: 9999, environment: { retryScheduleSeconds: [1, 2], allowPrivateNetworks: false }, dataDir: join(root, 'state') });
  expect(() => readLocalSettings({ SLUICE_RETRY_SCHEDULE: '5,soon' }, root)).toThrow(/SLUICE_RETRY_SCHEDULE/);
  expect(() => readLocalSettings({ PORT: 'http' }, root)).toThrow(/PORT/);
  expect(() => readLocalSettings({ SLUICE_ADMIN_TOKEN: 'short' }, root)).toThrow(/SLUICE_ADMIN_TOKEN/);
});

test('generated tokens differ and contain no dot', () => {
  const a = generateAdminToken();
  expect(a).not.toBe(generateAdminToken());
  expect(a).not.toContain('.');
});
