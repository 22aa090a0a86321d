/**
 * AWS-native destinations through the whole local stack: an SQS queue and an SNS topic (fauxqs, the
 * real wire protocols) and an EventBridge bus (the documented-contract stand-in; no EventBridge
 * emulator exists here) receive signed webhooks that `standardwebhooks` verifies, sent with the
 * credentials of a role Sluice assumed through STS (the local stand-in) with the endpoint's external
 * id; a resend goes again, and an ordered endpoint on a FIFO queue keeps publish order in its own message
 * group. A role that does not trust Sluice gets 403 attempts that retry on the schedule and disable the
 * endpoint like a failing URL; a webhook too big for its service fails once, for good. The API refuses
 * malformed destinations, and a Svix SDK client that knows nothing of `destination` keeps it.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message as SqsMessage } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Svix } from 'svix';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { LOCAL_DESTINATION_PRINCIPAL_ARN } from '../../local/destinations.ts';
import { startSluice, type RunningSluice } from '../../local/stack.ts';
import { adminApi } from '../support/admin-api.ts';
import { eventually } from '../support/receiver.ts';

const WINDOW_SECONDS = 2;
const ROLE = 'arn:aws:iam::111122223333:role/customer-webhooks';

interface DestinationOut {
  type: string;
  arn: string;
  roleArn: string;
  externalId: string;
  principalArn: string | null;
}
interface EndpointOut {
  id: string;
  url: string;
  disabled: boolean;
  destination: DestinationOut | null;
}

let sluice: RunningSluice;
let svix: Svix;
let sqs: SQSClient;
let sns: SNSClient;
let appId: string;

beforeAll(async () => {
  sluice = await startSluice({
    port: 0,
    retryScheduleSeconds: [1, 1, 1, 1, 1, 1],
    logLevel: 'SILENT',
    // Throttling (a 429) waits at least 1 s here, not the 60 s floor, to keep the test short.
    reliability: { disableAfterSeconds: WINDOW_SECONDS, overloadMinDelaySeconds: 1 },
  });
  svix = new Svix(sluice.adminToken, { serverUrl: sluice.url });
  const aws = { endpoint: sluice.endpoints.sqs, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  sqs = new SQSClient(aws);
  sns = new SNSClient(aws);
  appId = (await svix.application.create({ name: 'aws-destinations' })).id;
});

afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await sluice?.stop();
});

const api = adminApi(() => sluice);

async function createDestination(url: string, roleArn = ROLE): Promise<EndpointOut> {
  const res = await api('POST', `app/${appId}/endpoint`, { url, destination: { roleArn } });
  expect(res.status).toBe(201);
  return res.body as unknown as EndpointOut;
}

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const fifo = name.endsWith('.fifo') ? { Attributes: { FifoQueue: 'true' } } : {};
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, ...fifo }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Everything in the queue, in the order received (each deleted once read), waiting until `count` arrived. */
async function receive(queueUrl: string, count: number): Promise<SqsMessage[]> {
  const got: SqsMessage[] = [];
  await eventually(async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['MessageGroupId'], WaitTimeSeconds: 1 }),
    );
    got.push(...Messages);
    if (Messages.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    }
    return got.length >= count ? true : undefined;
  }, 20_000);
  return got;
}

const attributesOf = (m: SqsMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? '']));

const verifier = async (endpointId: string) => new StandardWebhook((await svix.endpoint.getSecret(appId, endpointId)).key);

test('an SQS queue receives signed messages, sent with the credentials of the role assumed with the endpoint\'s external id', async () => {
  const target = await queue('customer-orders');
  const endpoint = await createDestination(target.arn);
  expect(endpoint.url).toBe(target.arn);
  expect(endpoint.destination).toEqual({
    type: 'sqs',
    arn: target.arn,
    roleArn: ROLE,
    externalId: expect.stringMatching(/^sluice-[\w-]{32}$/),
    // The principal the customer's role must trust (the stack's DestinationPrincipalArn).
    principalArn: LOCAL_DESTINATION_PRINCIPAL_ARN,
  });
  // The customer adds Sluice (and this external id) to the role's trust policy.
  sluice.aws.sts.trust(ROLE, endpoint.destination!.externalId);

  const sent: { id: string }[] = [];
  for (let i = 0; i < 3; i++) sent.push(await svix.message.create(appId, { eventType: 'order.created', payload: { order: i, note: 'ünïcode' } }));
  const messages = await receive(target.url, 3);
  const webhook = await verifier(endpoint.id);
  const verified = messages.map((m) => {
    const attributes = attributesOf(m);
    expect(attributes['event-type']).toBe('order.created');
    return { id: attributes['webhook-id'], payload: webhook.verify(m.Body!, attributes) };
  });
  expect(verified.sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
    sent.map((m, i) => ({ id: m.id, payload: { order: i, note: 'ünïcode' } })).sort((a, b) => a.id.localeCompare(b.id)),
  );

  // One AssumeRole served all three sends, with the endpoint's external id and session name.
  const assumed = sluice.aws.sts.assumed().filter((a) => a.roleArn === ROLE);
  expect(assumed).toEqual([expect.objectContaining({ externalId: endpoint.destination!.externalId, sessionName: `sluice-${endpoint.id}` })]);

  // The attempt log shows each send like an HTTP one: 200, and SQS's message id as the response.
  const attempts = await eventually(async () => {
    const list = await svix.messageAttempt.listByEndpoint(appId, endpoint.id);
    return list.data.length === 3 ? list.data : undefined;
  });
  for (const attempt of attempts) {
    expect(attempt).toMatchObject({ status: 0, responseStatusCode: 200, url: target.arn });
    expect(JSON.parse(attempt.response)).toEqual({ MessageId: expect.any(String) });
  }

  // A resend goes to the queue again: same webhook-id, a fresh signature, a manual attempt in the log.
  await svix.messageAttempt.resend(appId, sent[0]!.id, endpoint.id);
  const [again] = await receive(target.url, 1);
  expect(attributesOf(again!)['webhook-id']).toBe(sent[0]!.id);
  expect(webhook.verify(again!.Body!, attributesOf(again!))).toEqual({ order: 0, note: 'ünïcode' });
  const manual = await eventually(async () => {
    const list = (await svix.messageAttempt.listByMsg(appId, sent[0]!.id, { endpointId: endpoint.id })).data;
    return list.find((a) => a.triggerType === 1);
  });
  expect(manual).toMatchObject({ status: 0, responseStatusCode: 200 });
});

test('an ordered endpoint on a FIFO queue: the messages arrive in publish order, in the endpoint\'s message group', async () => {
  const target = await queue('customer-ordered.fifo');
  const res = await api('POST', `app/${appId}/endpoint`, { url: target.arn, destination: { roleArn: ROLE }, ordering: 'fifo' });
  expect(res.status).toBe(201);
  const endpoint = res.body as unknown as EndpointOut;
  sluice.aws.sts.trust(ROLE, endpoint.destination!.externalId);
  const ids: string[] = [];
  for (let seq = 0; seq < 20; seq++) ids.push((await svix.message.create(appId, { eventType: 'order.created', payload: { seq } })).id);
  const messages = await receive(target.url, 20);
  expect(messages.map((m) => attributesOf(m)['webhook-id'])).toEqual(ids);
  expect(new Set(messages.map((m) => m.Attributes?.MessageGroupId))).toEqual(new Set([endpoint.id]));
});

test('an SNS topic delivers signed messages to its subscribers, attributes included', async () => {
  const subscriber = await queue('customer-topic-subscriber');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'customer-billing' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: subscriber.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const endpoint = await createDestination(TopicArn!);
  expect(endpoint.destination?.type).toBe('sns');
  sluice.aws.sts.trust(ROLE, endpoint.destination!.externalId);

  const sent = await svix.message.create(appId, { eventType: 'invoice.paid', payload: { invoice: 'in_1', amount: 4200 } });
  const [message] = await receive(subscriber.url, 1);
  const attributes = attributesOf(message!);
  expect(attributes['webhook-id']).toBe(sent.id);
  expect((await verifier(endpoint.id)).verify(message!.Body!, attributes)).toEqual({ invoice: 'in_1', amount: 4200 });
});

test('an EventBridge bus gets the webhook as an event whose detail carries the headers and the payload', async () => {
  const busArn = sluice.aws.events.createBus('customer-bus');
  const endpoint = await createDestination(busArn);
  expect(endpoint.destination?.type).toBe('events');
  sluice.aws.sts.trust(ROLE, endpoint.destination!.externalId);

  const sent = await svix.message.create(appId, { eventType: 'user.signed_up', payload: { user: 'u_1', plan: { tier: 'pro', seats: 3 } } });
  const [event] = await eventually(async () => {
    const events = sluice.aws.events.events('customer-bus');
    return events.length > 0 ? events : undefined;
  });
  expect(event).toMatchObject({ source: 'sluice', detailType: 'user.signed_up' });
  const detail = event!.detail as { headers: Record<string, string>; payload: unknown };
  expect(detail.headers['webhook-id']).toBe(sent.id);
  // The signature covers JSON.stringify(detail.payload): what a consumer of the event recomputes.
  expect((await verifier(endpoint.id)).verify(JSON.stringify(detail.payload), detail.headers)).toEqual({ user: 'u_1', plan: { tier: 'pro', seats: 3 } });
  // Put with the assumed role's credentials, not Sluice's own.
  expect(sluice.aws.sts.roleOfAccessKey(event!.accessKeyId!)).toBe(ROLE);

  // PutEvents answers 200 with a failed entry when throttled: that attempt is a 429, and the retry lands.
  sluice.aws.events.failNext(1, 'ThrottlingException');
  const throttled = await svix.message.create(appId, { eventType: 'user.signed_up', payload: { user: 'u_2' } });
  await eventually(async () => (sluice.aws.events.events('customer-bus').some((e) => (e.detail as { headers: Record<string, string> }).headers['webhook-id'] === throttled.id) ? true : undefined), 20_000);
  const attempts = (await svix.messageAttempt.listByMsg(appId, throttled.id, { endpointId: endpoint.id })).data;
  expect(attempts.map((a) => a.responseStatusCode).sort()).toEqual([200, 429]);
  expect(attempts.find((a) => a.responseStatusCode === 429)?.response).toMatch(/^EventBridge PutEvents to .*: ThrottlingException: /);
});

test('a role that does not trust Sluice: 403 attempts, retried on the schedule, and the endpoint is disabled like a failing URL', async () => {
  const target = await queue('customer-forbidden');
  const endpoint = await createDestination(target.arn, 'arn:aws:iam::111122223333:role/not-trusting');
  const first = await svix.message.create(appId, { eventType: 'order.created', payload: { forbidden: true } });
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 400));
    await svix.message.create(appId, { eventType: 'order.created', payload: { forbidden: i } });
  }
  const disabled = await eventually(async () => {
    const ep = (await api('GET', `app/${appId}/endpoint/${endpoint.id}`)).body as unknown as EndpointOut;
    return ep.disabled ? ep : undefined;
  }, 20_000);
  expect(disabled.destination?.arn).toBe(target.arn);

  const attempts = (await svix.messageAttempt.listByMsg(appId, first.id, { endpointId: endpoint.id })).data;
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  for (const attempt of attempts) {
    expect(attempt.responseStatusCode).toBe(403);
    expect(attempt.response).toMatch(/^sts:AssumeRole of arn:aws:iam::111122223333:role\/not-trusting: AccessDenied: /);
  }
  // Nothing reached the queue.
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: target.url, WaitTimeSeconds: 0 }));
  expect(Messages).toEqual([]);
});

test('a webhook too big for SNS fails once, for good (413), while the same message reaches an SQS queue', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'customer-small-topic' }));
  const topic = await createDestination(TopicArn!);
  const target = await queue('customer-big');
  const big = await createDestination(target.arn);
  for (const ep of [topic, big]) sluice.aws.sts.trust(ROLE, ep.destination!.externalId);
  const payload = { blob: 'x'.repeat(300 * 1024) };
  const sent = await svix.message.create(appId, { eventType: 'order.created', payload });

  const [delivered] = await receive(target.url, 1);
  expect((await verifier(big.id)).verify(delivered!.Body!, attributesOf(delivered!))).toEqual(payload);
  const [refused] = await eventually(async () => {
    const list = (await svix.messageAttempt.listByMsg(appId, sent.id, { endpointId: topic.id })).data;
    return list.length > 0 ? list : undefined;
  });
  expect(refused).toMatchObject({ responseStatusCode: 413, status: 2 });
  expect(refused!.response).toMatch(/SNS takes at most 262144 bytes per message/);
  // Final: the schedule (1 s apart) would have retried by now.
  await new Promise((r) => setTimeout(r, 2_500));
  expect((await svix.messageAttempt.listByMsg(appId, sent.id, { endpointId: topic.id })).data).toHaveLength(1);
});

describe('the API', () => {
  const arn = 'arn:aws:sqs:us-east-1:111122223333:q';
  const locs = (body: Record<string, unknown>): unknown => (body.detail as { loc: unknown }[]).map((d) => d.loc);

  it.each([
    ['an http url with a destination', { url: 'https://example.com/hook', destination: { roleArn: ROLE } }, ['body', 'destination']],
    ['an ARN url without a role', { url: arn }, ['body', 'destination']],
    ['a role that is not a role ARN', { url: arn, destination: { roleArn: 'arn:aws:iam::111122223333:user/alice' } }, ['body', 'destination', 'roleArn']],
    ['an ARN that is no destination', { url: 'arn:aws:lambda:us-east-1:111122223333:function:f', destination: { roleArn: ROLE } }, ['body', 'url']],
    ['a region that is no region', { url: 'arn:aws:sqs:us-east-1.example.com:111122223333:q', destination: { roleArn: ROLE } }, ['body', 'url']],
    ['destination.arn other than the url', { url: arn, destination: { roleArn: ROLE, arn: 'arn:aws:sqs:us-east-1:111122223333:other' } }, ['body', 'destination', 'arn']],
  ])('refuses %s (422 at the field)', async (_what, body, loc) => {
    const res = await api('POST', `app/${appId}/endpoint`, body);
    expect(res.status).toBe(422);
    expect(locs(res.body)).toEqual([loc]);
  });

  it('a Svix SDK client keeps the destination when it echoes the ARN, and clears it with an http url', async () => {
    const endpoint = await createDestination(arn);
    const viaSdk = await svix.endpoint.upsert(appId, endpoint.id, { url: arn, description: 'edited by the SDK' });
    expect(viaSdk.url).toBe(arn);
    const kept = (await api('GET', `app/${appId}/endpoint/${endpoint.id}`)).body as unknown as EndpointOut & { description: string };
    expect(kept).toMatchObject({ description: 'edited by the SDK', destination: endpoint.destination });
    await svix.endpoint.patch(appId, endpoint.id, { description: 'patched' });
    expect(((await api('GET', `app/${appId}/endpoint/${endpoint.id}`)).body as unknown as EndpointOut).destination).toEqual(endpoint.destination);

    const other = 'arn:aws:iam::111122223333:role/other';
    const moved = await api('PATCH', `app/${appId}/endpoint/${endpoint.id}`, { destination: { roleArn: other } });
    expect(moved.body.destination).toEqual({ ...endpoint.destination, roleArn: other });

    await svix.endpoint.upsert(appId, endpoint.id, { url: 'https://example.com/hook' });
    const cleared = (await api('GET', `app/${appId}/endpoint/${endpoint.id}`)).body as unknown as EndpointOut;
    expect(cleared).toMatchObject({ url: 'https://example.com/hook', destination: null });
  });
});
