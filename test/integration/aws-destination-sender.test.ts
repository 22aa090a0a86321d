/**
 * The destination adapter when AWS misbehaves, with the real SDK clients over real sockets: STS not
 * listening, STS accepting and never answering, the service down after the role was assumed, and a
 * throttled STS. Each ends as an attempt outcome (never a throw) within the attempt deadline, and a
 * refusal is not asked again for 10 s.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsDestinationSender } from '../../functions/adapters/aws-destinations/destination-sender.ts';
import { parseDestinationArn } from '../../functions/core/destinations/arn.ts';
import type { DestinationRequest } from '../../functions/core/destinations/request.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/credentials.ts';
import { freePort } from '../../local/emulators/free-port.ts';
import { startStsStandIn, type StsStandIn } from '../../local/emulators/sts-standin.ts';

const ROLE = 'arn:aws:iam::111122223333:role/r';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';

const request = (externalId: string): DestinationRequest => ({
  arn: QUEUE,
  target: parseDestinationArn(QUEUE)!,
  role: { arn: ROLE, externalId, sessionName: 'sluice-ep_1' },
  body: '{}',
  attributes: { 'webhook-id': 'msg_1' },
  eventType: 'e',
});

const senderAt = (endpoints: { sts: string; sqs?: string }, timeoutMs = 1_000) =>
  createAwsDestinationSender({ endpoints, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, timeoutMs });

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

let sts: StsStandIn;
beforeAll(async () => {
  sts = await startStsStandIn();
});
afterAll(async () => {
  await sts?.stop();
});

test('STS not listening: a network error naming the call', async () => {
  const sender = senderAt({ sts: `http://127.0.0.1:${await freePort()}` });
  const outcome = await sender.send(request('x'));
  expect(outcome).toMatchObject({ kind: 'network-error', message: expect.stringMatching(/^sts:AssumeRole of arn:aws:iam::111122223333:role\/r: /) });
  sender.close();
});

test('STS that accepts and never answers: a timeout at the attempt deadline', async () => {
  const hanging = await listen(() => undefined);
  const sender = senderAt({ sts: hanging.url }, 800);
  const started = Date.now();
  const outcome = await sender.send(request('x'));
  const took = Date.now() - started;
  expect(outcome).toMatchObject({ kind: 'timeout', message: expect.stringContaining('no answer within 800 ms') });
  expect(took).toBeGreaterThanOrEqual(700);
  expect(took).toBeLessThan(5_000);
  sender.close();
  await close(hanging.server);
});

test('the role assumed but SQS down: a network error for the send, not for the role', async () => {
  sts.trust(ROLE, 'ok');
  const sender = senderAt({ sts: sts.endpoint, sqs: `http://127.0.0.1:${await freePort()}` });
  const outcome = await sender.send(request('ok'));
  expect(outcome).toMatchObject({ kind: 'network-error', message: expect.stringMatching(/^SQS SendMessage to arn:aws:sqs:us-east-1:000000000000:q: /) });
  sender.close();
});

test('a throttled STS is a 429 (the overload floor applies), and the refusal is not asked again at once', async () => {
  const throttling = await listen((_req, res) => {
    res.writeHead(400, { 'content-type': 'text/xml' });
    res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>');
  });
  const sender = senderAt({ sts: throttling.url });
  const first = await sender.send(request('t'));
  expect(first).toMatchObject({ kind: 'http-error', statusCode: 429, body: expect.stringContaining('Throttling: Rate exceeded') });
  await sender.send(request('t'));
  expect(throttling.requests()).toBe(1);
  sender.close();
  await close(throttling.server);
});
