/**
 * The destination adapter's two pure parts: AWS SDK errors read as attempt outcomes, and the cache of
 * assumed-role credentials. AssumeRole is a seam here (a counting function, not STS): what is tested
 * is when the cache calls it. The real STS path runs against the local STS stand-in in
 * test/integration/aws-destinations.test.ts.
 */
import { outcomeOfAwsError } from '../../functions/adapters/aws-destinations/errors.ts';
import { createRoleCredentialCache, type RoleToAssume } from '../../functions/adapters/aws-destinations/role-credentials.ts';

const awsError = (name: string, status?: number) =>
  Object.assign(new Error(`${name} happened`), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }) });

describe('AWS errors as outcomes', () => {
  it.each([
    ['a refused role or queue policy', awsError('AccessDenied', 403), { kind: 'http-error', statusCode: 403, body: 'sqs:X: AccessDenied: AccessDenied happened' }],
    ['a missing queue', awsError('QueueDoesNotExist', 400), { kind: 'http-error', statusCode: 400 }],
    ['throttling', awsError('ThrottlingException', 400), { kind: 'http-error', statusCode: 429 }],
    ['KMS throttling behind SQS', awsError('KMSThrottlingException', 400), { kind: 'http-error', statusCode: 429 }],
    ['a service error', awsError('InternalError', 500), { kind: 'http-error', statusCode: 500 }],
    ['an abort (the deadline)', awsError('AbortError'), { kind: 'timeout', message: 'sqs:X: no answer within 15000 ms' }],
    ['a timeout', awsError('TimeoutError'), { kind: 'timeout' }],
    ['no answer at all', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), { kind: 'network-error', message: expect.stringMatching(/^sqs:X: Connection refused/) }],
  ])('%s', (_what, error, expected) => {
    expect(outcomeOfAwsError(error, 'sqs:X', 12, 15_000)).toMatchObject({ ...expected, durationMs: 12 });
  });
});

describe('assumed-role credentials', () => {
  const role: RoleToAssume = { arn: 'arn:aws:iam::111122223333:role/r', externalId: 'ext', sessionName: 'sluice-ep_1' };
  let clock = 1_000_000;
  const calls: RoleToAssume[] = [];
  let refuse = false;
  const cache = createRoleCredentialCache({
    now: () => clock,
    timeoutMs: 1000,
    assumeRole: async (r) => {
      calls.push(r);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (refuse) throw awsError('AccessDenied', 403);
      return { accessKeyId: `ASIA${calls.length}`, secretAccessKey: 's', sessionToken: 't', expiresAt: clock + 3_600_000 };
    },
  });

  beforeEach(() => {
    calls.length = 0;
    refuse = false;
  });

  it('concurrent sends share one AssumeRole, and the credentials are reused until 5 minutes before they expire', async () => {
    const results = await Promise.all([cache.get(role), cache.get(role), cache.get(role)]);
    expect(calls).toHaveLength(1);
    expect(results.map((r) => r.ok && r.credentials.accessKeyId)).toEqual(['ASIA1', 'ASIA1', 'ASIA1']);
    clock += 3_600_000 - 5 * 60_000 - 1;
    expect(await cache.get(role)).toMatchObject({ ok: true, credentials: { accessKeyId: 'ASIA1' } });
    expect(calls).toHaveLength(1);
    clock += 2;
    expect(await cache.get(role)).toMatchObject({ ok: true, credentials: { accessKeyId: 'ASIA2' } });
    expect(calls).toHaveLength(2);
  });

  it('another external id is another AssumeRole', async () => {
    await cache.get({ ...role, externalId: 'other' });
    expect(calls).toEqual([{ ...role, externalId: 'other' }]);
  });

  it('a refusal is a 403 outcome, remembered for 10 s, then asked again', async () => {
    refuse = true;
    const denied = { ...role, arn: 'arn:aws:iam::111122223333:role/denied' };
    const first = await cache.get(denied);
    expect(first).toEqual({ ok: false, outcome: expect.objectContaining({ kind: 'http-error', statusCode: 403 }) });
    expect(await cache.get(denied)).toBe(first);
    clock += 9_999;
    await cache.get(denied);
    expect(calls).toHaveLength(1);
    clock += 2;
    refuse = false;
    expect(await cache.get(denied)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(2);
  });
});
