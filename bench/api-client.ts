/**
 * Talks to Sluice's REST API the way the Svix SDK does (same headers, an `auto_…` idempotency key on
 * every POST, the application addressed by its uid), over keep-alive node:http connections: a lean
 * client, so the harness's own CPU stays small next to what it measures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface ApiClient {
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): void;
}

export function createApiClient(baseUrl: string, token: string, maxSockets: number): ApiClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  return {
    post: (path, body) =>
      new Promise((resolve, reject) => {
        const data = JSON.stringify(body);
        const req = request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: 'POST',
            path: `/api/v1${path}`,
            headers: {
              accept: 'application/json',
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(data),
              authorization: `Bearer ${token}`,
              'user-agent': 'svix-libs/1.0.0/javascript',
              'svix-req-id': String(Math.floor(Math.random() * 2 ** 32)),
              // What the Svix SDKs add to every POST that has none.
              'idempotency-key': `auto_${randomUUID()}`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(data);
      }),
    close: () => agent.destroy(),
  };
}

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface BenchApp {
  uid: string;
  /** Receiver paths, one per endpoint: /<uid>/<i>. */
  paths: string[];
}

/** Creates an application (by uid) with `endpoints` endpoints on the receiver, all with `secret`. */
/** `endpointFields`: more EndpointIn fields for every endpoint, e.g. `{ordering: 'fifo'}`. */
export async function createBenchApp(
  api: ApiClient,
  receiverUrl: string,
  uid: string,
  endpoints: number,
  secret: string,
  endpointFields: Record<string, unknown> = {},
): Promise<BenchApp> {
  const app = await api.post('/app', { name: `bench ${uid}`, uid });
  if (app.status !== 201) throw new Error(`creating app ${uid}: ${app.status} ${JSON.stringify(app.body)}`);
  const paths: string[] = [];
  for (let i = 0; i < endpoints; i++) {
    const path = `/${uid}/${i}`;
    const ep = await api.post(`/app/${uid}/endpoint`, { ...endpointFields, url: `${receiverUrl}${path}`, uid: `ep-${i}`, secret });
    if (ep.status !== 201) throw new Error(`creating endpoint ${path}: ${ep.status} ${JSON.stringify(ep.body)}`);
    paths.push(path);
  }
  return { uid, paths };
}

/** A payload of about 1 MiB (kept in the payload bucket: over 256 KiB), different for every message. */
export function bigPayload(n: number): Record<string, unknown> {
  return { ...samplePayload(n), attachment: 'x'.repeat(1024 * 1024) };
}

/** A payload of a realistic size (~350 bytes of JSON), different for every message. */
export function samplePayload(n: number): Record<string, unknown> {
  return {
    type: 'invoice.paid',
    invoice: { id: `in_${n.toString(36).padStart(8, '0')}`, amount: 4200 + n, currency: 'usd', customer: 'cus_bench0001' },
    lines: [
      { description: 'Pro plan (monthly)', amount: 3900, quantity: 1 },
      { description: 'Extra seats', amount: 300 + n, quantity: 3 },
    ],
    metadata: { source: 'sluice-bench', attempt: 1, note: 'a payload the size of a typical invoice event' },
  };
}

export interface Published {
  msgId: string;
  /** performance.now() when the publish request was sent. */
  sentAt: number;
}

export async function publish(api: ApiClient, uid: string, n: number, payloadOf: (n: number) => Record<string, unknown> = samplePayload): Promise<Published> {
  const sentAt = performance.now();
  const res = await api.post(`/app/${uid}/msg`, { eventType: 'invoice.paid', payload: payloadOf(n) });
  if (res.status !== 202 || typeof res.body['id'] !== 'string') {
    throw new Error(`publish: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { msgId: res.body['id'], sentAt };
}
