/**
 * resolveAdminToken: the config's token wins; otherwise the Secrets Manager secret `{"token": "…"}`.
 * Secrets Manager has no local emulator here, so a stand-in client answers GetSecretValue.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../functions/shared/config.ts';
import { resolveAdminToken } from '../../functions/shared/wiring/admin-token.ts';

const base: Config = {
  tableName: 'sluice',
  fanoutQueueUrl: 'q1',
  deliveryQueueUrl: 'q2',
  adminToken: undefined,
  adminTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:sluice-admin',
  retryScheduleSeconds: [5],
  allowPrivateNetworks: false,
};

function secretsReturning(secretString: string | undefined) {
  const requests: unknown[] = [];
  return {
    requests,
    client: {
      send: async (command: unknown) => {
        requests.push(command);
        return { SecretString: secretString };
      },
    } as never,
  };
}

test('a token in the config is used without calling Secrets Manager', async () => {
  const secrets = secretsReturning('{"token":"unused-unused-unused"}');
  await expect(resolveAdminToken({ ...base, adminToken: 'sluice_admin_from_config' }, secrets.client)).resolves.toBe(
    'sluice_admin_from_config',
  );
  expect(secrets.requests).toHaveLength(0);
});

test('otherwise the token is read from the secret JSON at the configured ARN', async () => {
  const secrets = secretsReturning('{"token":"0123456789abcdefghijKLMNOP"}');
  await expect(resolveAdminToken(base, secrets.client)).resolves.toBe('0123456789abcdefghijKLMNOP');
  const command = secrets.requests[0] as GetSecretValueCommand;
  expect(command).toBeInstanceOf(GetSecretValueCommand);
  expect(command.input.SecretId).toBe(base.adminTokenSecretArn);
});

test.each([
  ['not JSON', 'plain-token-plain-token'],
  ['no token key', '{"password":"0123456789abcdefghij"}'],
  ['a short token', '{"token":"short"}'],
  ['no SecretString', undefined],
])('a secret with %s is refused at cold start', async (_case, secretString) => {
  await expect(resolveAdminToken(base, secretsReturning(secretString).client)).rejects.toThrow(/secret/);
});
