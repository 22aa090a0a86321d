/**
 * `-c tracing=true`: the traced Lambda entries (functions/{api,fanout,deliver}/traced.ts) loaded as
 * Lambda loads them (test/support/lambda-entries.ts), with the environment Lambda's active tracing
 * sets (_X_AMZN_TRACE_ID, LAMBDA_TASK_ROOT, AWS_XRAY_DAEMON_ADDRESS, …). The X-Ray daemon is a real
 * UDP socket here, reading the documents the X-Ray SDK sends it: one published message must show up
 * as annotated spans in all three functions, with the DynamoDB and SQS calls below them, and nothing a
 * customer sent in them.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { startLambdaEntries, type LambdaEntries } from '../support/lambda-entries.ts';
import { eventually, startReceiver, type Receiver } from '../support/receiver.ts';

const TOKEN = 'sluice_admin_tracing-test-token-000000000000000000000';
const TRACE_ID = '1-67a1b2c3-0123456789abcdef01234567';
const PAYLOAD_MARKER = 'traced-payload-marker-41c7';

interface XraySubsegment {
  name: string;
  trace_id?: string;
  annotations?: Record<string, string | number | boolean>;
  aws?: { operation?: string };
  subsegments?: XraySubsegment[];
}

let daemon: Socket;
const documents: string[] = [];
let entries: LambdaEntries;
let receiver: Receiver;

/** Every subsegment the daemon received, nested ones included. */
function spans(): XraySubsegment[] {
  const all: XraySubsegment[] = [];
  const walk = (s: XraySubsegment): void => {
    all.push(s);
    for (const child of s.subsegments ?? []) walk(child);
  };
  // A datagram is a header line, then the document.
  for (const datagram of documents) walk(JSON.parse(datagram.slice(datagram.indexOf('\n') + 1)) as XraySubsegment);
  return all;
}

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => documents.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  receiver = await startReceiver();
  entries = await startLambdaEntries({
    name: 'traced',
    token: TOKEN,
    entry: 'traced',
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      // What Lambda sets for a function with active tracing (one trace for the whole test).
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_LAMBDA_FUNCTION_NAME: 'sluice-traced',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1`,
    },
  });
});

afterAll(async () => {
  await entries?.stop();
  await receiver?.close();
  daemon?.close();
});

test('one message is traced through the api, fan-out and delivery, annotated with its id', async () => {
  const app = (await entries.post('/app', { name: 'Traced' })).json;
  // The endpoint's URL carries a credential in its query: it must not reach a trace.
  const endpoint = (await entries.post(`/app/${app.id}/endpoint`, { url: `${receiver.url}/hook?token=receiver-credential` })).json;
  const message = (await entries.post(`/app/${app.id}/msg`, { eventType: 'traced.test', payload: { note: PAYLOAD_MARKER } })).json;

  await receiver.waitFor('/hook?token=receiver-credential', 1, 15_000);
  const withMessage = (name: string) => spans().filter((s) => s.name === name && s.annotations?.['messageId'] === message.id);
  await eventually(async () => (withMessage('delivery attempt').length === 1 ? true : undefined));

  const published = withMessage('## sluice-api');
  expect(published).toHaveLength(1);
  expect(published[0]!.annotations).toMatchObject({ route: 'POST /app/{app_id}/msg', appId: app.id, Service: 'sluice-api' });
  // Three requests to one api container: the first was its cold start.
  expect(spans().filter((s) => s.name === '## sluice-api').map((s) => s.annotations?.['ColdStart'])).toEqual([true, false, false]);
  expect(withMessage('fanout message')[0]!.annotations).toMatchObject({ appId: app.id });
  expect(withMessage('delivery attempt')[0]!.annotations).toMatchObject({ endpointId: endpoint.id, lane: 'fast', outcome: 'delivered' });

  // The SDK calls are spans of their own, and every span is in the one trace Lambda started.
  const operations = new Set(spans().map((s) => `${s.name} ${s.aws?.operation ?? ''}`));
  expect([...operations]).toEqual(expect.arrayContaining(['DynamoDB PutItem', 'SQS SendMessage', 'SQS SendMessageBatch', 'DynamoDB GetItem']));
  expect(new Set(spans().map((s) => s.trace_id).filter((t) => t !== undefined))).toEqual(new Set([TRACE_ID]));

  // Ids and outcomes only: not the payload, not the endpoint's URL, not the token.
  const everything = documents.join('\n');
  expect(everything).not.toContain(PAYLOAD_MARKER);
  expect(everything).not.toContain('receiver-credential');
  expect(everything).not.toContain(TOKEN);
});
