/**
 * Admin token rotation without a redeploy: when a presented token does not match, the api re-reads
 * the Secrets Manager secret, at most once a minute however many wrong tokens arrive (a stand-in
 * `send` counts the reads: there is no Secrets Manager emulator here).
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { createApiHandler } from '../../functions/api/handler.ts';
import type { Config } from '../../functions/shared/config.ts';
import { adminTokenRefresher } from '../../functions/shared/wiring/admin-token.ts';
import { apiEvent, bareContext } from '../support/api-event.ts';

const OLD = 'old-admin-token-0123456789';
const NEW = 'new-admin-token-9876543210';

const config: Config = {
  tableName: 't',
  fanoutQueueUrl: 'q',
  deliveryQueueUrl: 'q',
  adminToken: undefined,
  adminTokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:admin',
  retryScheduleSeconds: [],
  allowPrivateNetworks: false,
};

function fakeSecrets(initial: string) {
  const state = { value: initial, reads: 0, fail: false };
  const send = async (command: unknown): Promise<unknown> => {
    if (!(command instanceof GetSecretValueCommand)) throw new Error('unexpected command');
    state.reads++;
    if (state.fail) throw new Error('Secrets Manager is down');
    return { SecretString: JSON.stringify({ token: state.value }) };
  };
  return { secrets: { send } as never, state };
}

describe('adminTokenRefresher', () => {
  test('nothing to re-read when the token comes from the config (local mode)', () => {
    expect(adminTokenRefresher({ ...config, adminToken: OLD })).toBeUndefined();
  });

  test('re-reads at most once per minute, shares a read between concurrent callers, and survives failures', async () => {
    const { secrets, state } = fakeSecrets(OLD);
    let now = 1_000_000;
    const refresh = adminTokenRefresher(config, secrets, { now: () => now })!;
    expect(await refresh()).toBeUndefined(); // just read at cold start
    expect(state.reads).toBe(0);
    now += 60_000;
    state.value = NEW;
    const [a, b] = await Promise.all([refresh(), refresh()]);
    expect([a, b]).toEqual([NEW, NEW]);
    expect(state.reads).toBe(1);
    for (let i = 0; i < 100; i++) expect(await refresh()).toBeUndefined();
    expect(state.reads).toBe(1);
    now += 60_000;
    state.fail = true;
    expect(await refresh()).toBeUndefined();
    expect(state.reads).toBe(2);
  });
});

describe('the api picks up a rotated token', () => {
  test('the new token works after the secret changes; the old one stops; wrong tokens cannot force reads', async () => {
    const { secrets, state } = fakeSecrets(OLD);
    let now = 0;
    const handler = createApiHandler({
      stores: {} as never,
      fanoutQueue: {} as never,
      deliveryQueue: {} as never,
      adminToken: OLD,
      refreshAdminToken: adminTokenRefresher(config, secrets, { now: () => now }),
    });
    // An unknown route: 404 once authenticated, 401 before (no store is touched).
    const status = async (token: string) => (await handler(apiEvent('GET', '/api/v1/nowhere', { token }), bareContext)).statusCode;
    expect(await status(OLD)).toBe(404);
    state.value = NEW; // operator: aws secretsmanager put-secret-value …
    expect(await status(NEW)).toBe(401); // within the minute after cold start: not re-read yet
    now += 61_000;
    expect(await status(NEW)).toBe(404);
    expect(await status(OLD)).toBe(401);
    for (let i = 0; i < 50; i++) expect(await status(`attacker-${i}-0000000000000`)).toBe(401);
    expect(state.reads).toBe(1);
  });
});
