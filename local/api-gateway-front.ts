/**
 * A local stand-in for API Gateway (REST API, `/{proxy+}` resource, Lambda proxy integration): a
 * node:http server on 127.0.0.1 that turns each request into the v1 proxy event the api function
 * receives in AWS, calls the handler, and writes its result back. Bodies over API Gateway's 10 MiB
 * limit are refused before the handler runs, as the gateway does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsHeaders, DEFAULT_CORS_ORIGINS, type CorsOrigins } from '../functions/api/cors.ts';
import { answerClientError } from './client-error.ts';
import { lambdaContext } from './lambda-context.ts';
import { portalAssetsFromEnv, type PortalAssets } from './portal-assets.ts';
import type { MetricsEndpoint } from './metrics-endpoint.ts';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway's own payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout. */
const INTEGRATION_TIMEOUT_MS = 29_000;
const STAGE = 'local';

export interface ApiGatewayFront {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface FrontLogger {
  error(message: string, ...extra: unknown[]): void;
}

export async function startApiGatewayFront(options: {
  handler: ApiHandler;
  port?: number;
  logger?: FrontLogger;
  /** The app portal's files at /portal (as API Gateway routes /portal to S3 on AWS); default from the environment. */
  portal?: PortalAssets;
  /** GET /metrics (Prometheus), local only: API Gateway has no such route. */
  metrics?: MetricsEndpoint;
  /**
   * Allowed browser origins (SLUICE_CORS_ORIGINS). The api function answers preflights and sets CORS
   * headers itself; these cover the front's own answers (413, 500, 502), as API Gateway's gateway
   * responses do on AWS.
   */
  corsOrigins?: CorsOrigins;
}): Promise<ApiGatewayFront> {
  const portal = options.portal ?? portalAssetsFromEnv();
  const corsOrigins = options.corsOrigins ?? DEFAULT_CORS_ORIGINS;
  const server = createServer({ keepAlive: true }, (req, res) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    for (const [name, value] of Object.entries(corsHeaders(origin, corsOrigins))) res.setHeader(name, value);
    if (options.metrics?.handles((req.url ?? '/').split('?')[0]!) === true) {
      options.metrics.serve(req, res).catch(() => res.destroy());
      return;
    }
    if (portal.handles((req.url ?? '/').split('?')[0]!)) {
      portal.serve(req, res).catch((error: unknown) => {
        options.logger?.error('portal asset server failed', error as Error);
        if (!res.headersSent) writeJson(res, 500, { code: 'internal_server_error', detail: 'Internal Server Error' });
        else res.destroy();
      });
      return;
    }
    void serve(req, res, options.handler, options.logger);
  });
  // Unparsable requests (oversized headers or URL, a malformed request line) get a JSON error too.
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, stop: () => close(server) };
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: ApiHandler, logger?: FrontLogger): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) return refuseTooLarge(req, res);
  let body: Buffer | undefined;
  try {
    body = await readBody(req);
  } catch {
    if (!res.headersSent && !res.destroyed) res.destroy();
    return;
  }
  if (body === undefined) return refuseTooLarge(req, res);

  const event = toProxyEvent(req, body);
  let result: APIGatewayProxyResult;
  try {
    result = await handler(event, lambdaContext('sluice-api', INTEGRATION_TIMEOUT_MS, event.requestContext.requestId));
  } catch (error) {
    logger?.error('api handler crashed', error as Error);
    return writeJson(res, 500, { code: 'internal_server_error', detail: 'Internal Server Error' });
  }
  try {
    writeResult(res, result);
  } catch (error) {
    // API Gateway answers 502 to a result it cannot turn into a response (e.g. an invalid header value).
    logger?.error('api handler returned a malformed result', error as Error);
    if (res.headersSent) return void res.destroy();
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    writeJson(res, 502, { code: 'internal_error', detail: 'Malformed Lambda proxy response' });
  }
}

/** Resolves undefined as soon as the body exceeds the limit (the rest is not buffered). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  // The client may still be sending: answer, then close instead of draining megabytes.
  res.setHeader('connection', 'close');
  writeJson(res, 413, {
    code: 'payload_too_large',
    detail: `Request payload is too large (the limit is ${MAX_REQUEST_BYTES} bytes)`,
  });
  req.resume();
}

/** Builds the event API Gateway's Lambda proxy integration sends for a `/{proxy+}` resource. */
export function toProxyEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? '' : target.slice(queryStart + 1);

  // API Gateway keeps the header names as the client sent them; `headers` holds the last value.
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }

  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    queryStringParameters[key] = value;
    (multiValueQueryStringParameters[key] ??= []).push(value);
  }
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const hasHeaders = Object.keys(headers).length > 0;

  const now = new Date();
  const requestId = randomUUID();
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  const proxy = safeDecode(path.replace(/^\/+/, ''));
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: req.method ?? 'GET',
    headers: hasHeaders ? headers : {},
    multiValueHeaders: hasHeaders ? multiValueHeaders : {},
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: proxy === '' ? null : { proxy },
    stageVariables: null,
    body: body.length === 0 ? null : body.toString('utf8'),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: req.method ?? 'GET',
      // The path as the client sent it: this front serves at the root, with no stage prefix in the URL
      // (API Gateway's own /prod/… form would make links built from it point at /local/…).
      path,
      stage: STAGE,
      requestId,
      extendedRequestId: requestId,
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      domainName: req.headers.host ?? '127.0.0.1',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: sourceIp.replace(/^::ffff:/, ''),
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  const statusCode = Number.isInteger(result.statusCode) ? result.statusCode : 502;
  // As in API Gateway, multiValueHeaders and headers are merged; a name in both gets both values.
  const merged = new Map<string, string[]>();
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    merged.set(name, values.map(String));
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    const values = merged.get(name) ?? [];
    if (!values.includes(String(value))) values.push(String(value));
    merged.set(name, values);
  }
  for (const [name, values] of merged) res.setHeader(name, values.length === 1 ? values[0]! : values);
  const body = result.isBase64Encoded === true ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  if (!res.hasHeader('content-type') && body.length > 0) res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', body.length);
  res.writeHead(statusCode);
  res.end(body);
}

function writeJson(res: ServerResponse, statusCode: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Idle keep-alive sockets would hold close() open; busy ones get a few seconds to answer.
    const force = setTimeout(() => server.closeAllConnections(), 5_000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
