/** The STS AssumeRole and EventBridge PutEvents stand-ins, driven by the real AWS SDK v3 clients. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { startEventBridgeStandIn, type EventBridgeStandIn } from '../../local/emulators/eventbridge-standin.ts';
import { startStsStandIn, type StsStandIn } from '../../local/emulators/sts-standin.ts';

const REGION = 'us-east-1';
const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDSLUICELOCAL', secretAccessKey: 'local-secret' };
const CUSTOMER_ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/sluice-delivery`;
const FILE_ROLE = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/from-file`;
const EXTERNAL_ID = 'ep_2mXq8ExternalId';

let dir: string;
let rolesFile: string;
let sts: StsStandIn;
let stsClient: STSClient;
let eventBridge: EventBridgeStandIn;
let eventsClient: EventBridgeClient;

function writeRoles(content: string): void {
  writeFileSync(rolesFile, content);
}

function assume(overrides: Partial<AssumeRoleCommandInput> = {}) {
  return stsClient.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'sluice-delivery', ExternalId: EXTERNAL_ID, DurationSeconds: 900, ...overrides }));
}

/** The error an SDK call threw, for exact assertions on its name and HTTP status. */
async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    const sdkError = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: sdkError.name, message: sdkError.message, status: sdkError.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

function entry(overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return { Source: 'sluice', DetailType: 'invoice.paid', Detail: JSON.stringify({ amount: 42 }), ...overrides };
}

function putEvents(entries: PutEventsRequestEntry[], client = eventsClient) {
  return client.send(new PutEventsCommand({ Entries: entries }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-standins-'));
  rolesFile = join(dir, 'roles.json');
  sts = await startStsStandIn({ rolesFile, accountId: '000000000000' });
  stsClient = new STSClient({ endpoint: sts.endpoint, region: REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  eventBridge = await startEventBridgeStandIn({ region: REGION, accountId: CUSTOMER_ACCOUNT });
  eventsClient = new EventBridgeClient({ endpoint: eventBridge.endpoint, region: REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  stsClient.destroy();
  eventsClient.destroy();
  await sts.stop();
  await eventBridge.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(rolesFile, { force: true });
  sts.distrust(ROLE);
});

describe('STS AssumeRole stand-in', () => {
  test('a trusted role with the right external id gets temporary credentials', async () => {
    sts.trust(ROLE, EXTERNAL_ID);
    const before = Date.now();
    const result = await assume();
    const after = Date.now();
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(result.Credentials?.SecretAccessKey?.length).toBe(40);
    expect(result.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    // Expiration is whole seconds (as STS sends it): issue time + 900 s, issued between before and after.
    const expiresAt = result.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiresAt).toBeGreaterThan(before + 899_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 900_000);
    expect(result.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/sluice-delivery/sluice-delivery`);
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:sluice-delivery$/);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const accessKeyId = result.Credentials?.AccessKeyId ?? '';
    expect(sts.assumed().at(-1)).toEqual({ roleArn: ROLE, externalId: EXTERNAL_ID, sessionName: 'sluice-delivery', accessKeyId });
    expect(sts.roleOfAccessKey(accessKeyId)).toBe(ROLE);
    expect(sts.roleOfAccessKey('ASIANOTISSUED0000000')).toBeUndefined();
  });

  test('a wrong external id is AccessDenied (403)', async () => {
    sts.trust(ROLE, EXTERNAL_ID);
    const failure = await failureOf(assume({ ExternalId: 'ep_someone-else' }));
    expect(failure).toEqual({ name: 'AccessDenied', status: 403, message: `User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${ROLE}` });
    expect((await failureOf(assume({ ExternalId: undefined }))).name).toBe('AccessDenied');
  });

  test('an untrusted role is AccessDenied (403), and distrust takes trust back', async () => {
    expect(await failureOf(assume())).toMatchObject({ name: 'AccessDenied', status: 403 });
    sts.trust(ROLE, EXTERNAL_ID);
    await assume();
    sts.distrust(ROLE);
    expect(await failureOf(assume())).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  test('the roles file is re-read on every request, so edits take effect while it runs', async () => {
    const fileRole = () => assume({ RoleArn: FILE_ROLE, RoleSessionName: 'from-file' });
    expect(await failureOf(fileRole())).toMatchObject({ name: 'AccessDenied', status: 403 });
    writeRoles(JSON.stringify({ roles: [{ roleArn: FILE_ROLE, externalId: EXTERNAL_ID }] }));
    const result = await fileRole();
    expect(sts.roleOfAccessKey(result.Credentials?.AccessKeyId ?? '')).toBe(FILE_ROLE);
    writeRoles(JSON.stringify({ roles: [] }));
    expect(await failureOf(fileRole())).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  test('a malformed roles file answers 500 InternalFailure and the stand-in keeps serving', async () => {
    sts.trust(ROLE, EXTERNAL_ID);
    writeRoles('{"roles": [');
    const failure = await failureOf(assume());
    expect(failure.name).toBe('InternalFailure');
    expect(failure.status).toBe(500);
    expect(failure.message).toContain(`Roles file ${rolesFile} is not valid JSON`);
    writeRoles(JSON.stringify({ roles: [{ roleArn: 'not-an-arn', externalId: EXTERNAL_ID }] }));
    expect((await failureOf(assume())).message).toContain(`Roles file ${rolesFile} is malformed at roles.0.roleArn`);
    rmSync(rolesFile);
    expect((await assume()).Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  test('inputs are validated as STS does: ValidationError (400)', async () => {
    sts.trust(ROLE, EXTERNAL_ID);
    const badSession = await failureOf(assume({ RoleSessionName: 'has space' }));
    expect(badSession).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w+=,.@-]*$",
    });
    expect(await failureOf(assume({ RoleSessionName: 'x' }))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await failureOf(assume({ RoleSessionName: 'x'.repeat(65) }))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect((await failureOf(assume({ DurationSeconds: 899 }))).message).toContain('greater than or equal to 900');
    expect((await failureOf(assume({ DurationSeconds: 43201 }))).message).toContain('less than or equal to 43200');
    expect(await failureOf(assume({ RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:user/someone` }))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect((await assume({ DurationSeconds: 43200, RoleSessionName: 'a=b,c.d@e-f_g+h' })).Credentials).toBeDefined();
  });

  test('an action other than AssumeRole is InvalidAction (400)', async () => {
    const response = await fetch(sts.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetSessionToken&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<Type>Sender</Type><Code>InvalidAction</Code>');
    expect(body).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error>.*<\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });
});

describe('EventBridge PutEvents stand-in', () => {
  test('a valid entry is recorded on the default bus and gets an EventId', async () => {
    const result = await putEvents([entry({ Resources: ['arn:aws:sqs:us-east-1:111122223333:q'], Time: new Date('2026-03-01T10:20:30Z') })]);
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(1);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(eventBridge.events('default').at(-1)).toEqual({
      source: 'sluice',
      detailType: 'invoice.paid',
      detail: { amount: 42 },
      time: '2026-03-01T10:20:30Z',
      resources: ['arn:aws:sqs:us-east-1:111122223333:q'],
      accessKeyId: DUMMY_CREDENTIALS.accessKeyId,
    });
  });

  test('a missing Detail or a Detail that is not a JSON object fails only that entry', async () => {
    const bus = 'per-entry-failures';
    eventBridge.createBus(bus);
    const result = await putEvents([
      entry({ EventBusName: bus }),
      entry({ EventBusName: bus, Detail: undefined }),
      entry({ EventBusName: bus, Detail: '{not json' }),
      entry({ EventBusName: bus, Detail: '[1,2]' }),
      entry({ EventBusName: bus, Source: undefined }),
    ]);
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
    ]);
    expect(result.Entries?.[0]?.EventId).toBeDefined();
    expect(eventBridge.events(bus)).toHaveLength(1);
  });

  test('more than 10 entries is a ValidationException (400) for the whole request', async () => {
    const bus = 'eleven';
    eventBridge.createBus(bus);
    const failure = await failureOf(putEvents(Array.from({ length: 11 }, () => entry({ EventBusName: bus }))));
    expect(failure).toEqual({ name: 'ValidationException', status: 400, message: "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10" });
    expect(eventBridge.events(bus)).toEqual([]);
    expect((await putEvents(Array.from({ length: 10 }, () => entry({ EventBusName: bus })))).FailedEntryCount).toBe(0);
  });

  test('a bus that does not exist fails that entry with ResourceNotFoundException; names and ARNs both resolve', async () => {
    const arn = eventBridge.createBus('orders');
    expect(arn).toBe(`arn:aws:events:${REGION}:${CUSTOMER_ACCOUNT}:event-bus/orders`);
    const result = await putEvents([entry({ EventBusName: 'no-such-bus' }), entry({ EventBusName: arn }), entry({ EventBusName: 'orders' })]);
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus no-such-bus does not exist.' });
    expect(eventBridge.events('orders')).toHaveLength(2);
    const otherAccountBus = `arn:aws:events:${REGION}:999999999999:event-bus/orders`;
    expect((await putEvents([entry({ EventBusName: otherAccountBus })])).Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');
    expect(eventBridge.createBus(otherAccountBus)).toBe(otherAccountBus);
    expect((await putEvents([entry({ EventBusName: otherAccountBus })])).FailedEntryCount).toBe(0);
    expect(eventBridge.events(otherAccountBus)).toHaveLength(1);
    expect(eventBridge.events('orders')).toHaveLength(2);
    const otherRegion = await putEvents([entry({ EventBusName: `arn:aws:events:eu-west-1:${CUSTOMER_ACCOUNT}:event-bus/orders` })]);
    expect(otherRegion.Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');
    expect(() => eventBridge.createBus('has/slash')).toThrow('Not a bus name');
    expect(() => eventBridge.createBus(`arn:aws:events:eu-west-1:${CUSTOMER_ACCOUNT}:event-bus/orders`)).toThrow('us-east-1 event-bus ARN');
  });

  test('entries whose documented total size reaches the limit fail the whole request with ValidationException', async () => {
    const bus = 'sizes';
    eventBridge.createBus(bus);
    const limit = 1024 * 1024;
    const sizedDetail = (bytes: number) => JSON.stringify({ pad: 'x'.repeat(bytes - '{"pad":""}'.length) });
    const fixedBytes = 'sluice'.length + 'invoice.paid'.length;
    const justUnder = entry({ EventBusName: bus, Detail: sizedDetail(limit - 1 - fixedBytes) });
    expect((await putEvents([justUnder])).FailedEntryCount).toBe(0);
    expect((await failureOf(putEvents([{ ...justUnder, Time: new Date() }]))).name).toBe('ValidationException');
    const atLimit = entry({ EventBusName: bus, Detail: sizedDetail(limit - fixedBytes) });
    const tooBig = await failureOf(putEvents([atLimit]));
    expect(tooBig).toEqual({ name: 'ValidationException', status: 400, message: 'Total size of the entries in the request is over the limit.' });
    const halves = [entry({ EventBusName: bus, Detail: sizedDetail(limit / 2) }), entry({ EventBusName: bus, Detail: sizedDetail(limit / 2) })];
    expect((await failureOf(putEvents(halves))).name).toBe('ValidationException');
    expect(eventBridge.events(bus)).toHaveLength(1);
  });

  test('the older 256 KB limit can be chosen, for regions that still have it', async () => {
    const old = await startEventBridgeStandIn({ maxRequestEntriesBytes: 256 * 1024 });
    const client = new EventBridgeClient({ endpoint: old.endpoint, region: REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    try {
      const over256k = entry({ Detail: JSON.stringify({ pad: 'x'.repeat(256 * 1024) }) });
      expect((await failureOf(putEvents([over256k], client))).name).toBe('ValidationException');
      expect((await putEvents([entry()], client)).FailedEntryCount).toBe(0);
    } finally {
      client.destroy();
      await old.stop();
    }
  });

  test('failNext makes the next n otherwise-good entries fail with the given code', async () => {
    const bus = 'throttled';
    eventBridge.createBus(bus);
    eventBridge.failNext(2, 'ThrottlingException');
    const result = await putEvents([entry({ EventBusName: bus, Detail: 'bad' }), entry({ EventBusName: bus }), entry({ EventBusName: bus }), entry({ EventBusName: bus })]);
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries?.map((item) => item.ErrorCode)).toEqual(['MalformedDetail', 'ThrottlingException', 'ThrottlingException', undefined]);
    expect(eventBridge.events(bus)).toHaveLength(1);
    expect((await putEvents([entry({ EventBusName: bus })])).FailedEntryCount).toBe(0);
  });

  test('an operation other than PutEvents is UnknownOperationException', async () => {
    const response = await fetch(eventBridge.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect((await response.json()) as unknown).toEqual({ __type: 'UnknownOperationException', message: 'This stand-in serves AWSEvents.PutEvents only, not AWSEvents.ListRules' });
  });
});

describe('credentials from the STS stand-in, used for EventBridge', () => {
  test('the recorded access key id maps back to the assumed role', async () => {
    sts.trust(ROLE, EXTERNAL_ID);
    const { Credentials } = await assume();
    const assumedClient = new EventBridgeClient({
      endpoint: eventBridge.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: Credentials?.AccessKeyId ?? '', secretAccessKey: Credentials?.SecretAccessKey ?? '', sessionToken: Credentials?.SessionToken ?? '' },
    });
    try {
      const bus = eventBridge.createBus('customer-bus');
      expect((await putEvents([entry({ EventBusName: bus })], assumedClient)).FailedEntryCount).toBe(0);
      const [event] = eventBridge.events('customer-bus');
      expect(event?.accessKeyId).toBe(Credentials?.AccessKeyId);
      expect(sts.roleOfAccessKey(event?.accessKeyId ?? '')).toBe(ROLE);
    } finally {
      assumedClient.destroy();
    }
  });
});
