import { loadConfig } from '../../functions/shared/config.ts';
import { DELIVERY } from '../../functions/shared/names.ts';

const base = {
  SLUICE_FANOUT_QUEUE_URL: 'http://q/fanout',
  SLUICE_DELIVERY_QUEUE_URL: 'http://q/delivery',
  SLUICE_ADMIN_TOKEN: 'sluice_admin_0123456789abcdef',
};

describe('loadConfig', () => {
  test('applies defaults', () => {
    const config = loadConfig(base);
    expect(config.tableName).toBe('sluice');
    expect(config.retryScheduleSeconds).toEqual(DELIVERY.defaultRetryScheduleSeconds);
    expect(config.allowPrivateNetworks).toBe(false);
  });

  test('parses the retry schedule and flags', () => {
    const config = loadConfig({ ...base, SLUICE_RETRY_SCHEDULE: '1, 2,30', SLUICE_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(config.retryScheduleSeconds).toEqual([1, 2, 30]);
    expect(config.allowPrivateNetworks).toBe(true);
  });

  test.each(['1,x', '-1', '1.5', '50000'])('rejects the retry schedule %p', (schedule) => {
    expect(() => loadConfig({ ...base, SLUICE_RETRY_SCHEDULE: schedule })).toThrow(/SLUICE_RETRY_SCHEDULE/);
  });

  test('the endpoint cache: 5 s by default, 0 turns it off, at most 60 s', () => {
    expect(loadConfig(base).endpointCacheSeconds).toBe(5);
    expect(loadConfig({ ...base, SLUICE_ENDPOINT_CACHE_SECONDS: '0' }).endpointCacheSeconds).toBe(0);
    expect(loadConfig({ ...base, SLUICE_ENDPOINT_CACHE_SECONDS: '2.5' }).endpointCacheSeconds).toBe(2.5);
    for (const bad of ['-1', '61', 'soon']) {
      expect(() => loadConfig({ ...base, SLUICE_ENDPOINT_CACHE_SECONDS: bad })).toThrow(/SLUICE_ENDPOINT_CACHE_SECONDS/);
    }
  });

  test('the destination principal: an IAM or STS ARN, or unset (EndpointOut then shows null)', () => {
    expect(loadConfig(base).destinationPrincipalArn).toBeUndefined();
    const arn = 'arn:aws:iam::111122223333:role/Sluice-WorkersDeliveryServiceRole-AB12';
    expect(loadConfig({ ...base, SLUICE_DESTINATION_PRINCIPAL_ARN: arn }).destinationPrincipalArn).toBe(arn);
    for (const bad of ['role/x', 'arn:aws:sqs:us-east-1:111122223333:q', 'arn:aws:iam::1:role/x']) {
      expect(() => loadConfig({ ...base, SLUICE_DESTINATION_PRINCIPAL_ARN: bad })).toThrow(/SLUICE_DESTINATION_PRINCIPAL_ARN/);
    }
  });

  test('needs a token or a secret to read it from', () => {
    const { SLUICE_ADMIN_TOKEN: _token, ...withoutToken } = base;
    expect(() => loadConfig(withoutToken)).toThrow(/SLUICE_ADMIN_TOKEN/);
    expect(loadConfig({ ...withoutToken, SLUICE_ADMIN_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:x' }).adminTokenSecretArn).toBe(
      'arn:aws:secretsmanager:x',
    );
  });

  test('needs the queue urls', () => {
    expect(() => loadConfig({ SLUICE_ADMIN_TOKEN: base.SLUICE_ADMIN_TOKEN })).toThrow(/SLUICE_FANOUT_QUEUE_URL/);
  });
});
