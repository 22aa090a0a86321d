/**
 * The portal's files from a Lambda function, for a deployment behind the HTTP API (`-c api=http`),
 * which has no S3 integration (behind the REST API, API Gateway reads them from S3: lib/portal.ts).
 * The files ship inside the bundle; each is read once per container and kept, gzipped when the
 * browser accepts it (an HTTP API does not compress). Paths, headers and cache rules are the ones
 * every server of the portal uses (portal/serving.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { contentTypeOf, isCompressible, portalSecurityHeaders, resolvePortalPath } from '../../portal/serving.ts';

export interface PortalFilesOptions {
  /** The build's root (index.html, portal/assets/…). */
  dir: string;
  frameAncestors: readonly string[];
}

interface Loaded {
  type: string;
  plain: Buffer;
  gzipped: Buffer | undefined;
}

const NOT_FOUND = JSON.stringify({ code: 'not_found', detail: 'Entity not found' });

export function createPortalFilesHandler(options: PortalFilesOptions): (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult> {
  const security = portalSecurityHeaders(options.frameAncestors);
  const files = new Map<string, Promise<Loaded | undefined>>();
  const load = (relative: string): Promise<Loaded | undefined> => {
    let hit = files.get(relative);
    if (hit === undefined) {
      hit = readFile(join(options.dir, relative)).then(
        (plain) => {
          const type = contentTypeOf(relative);
          return { type, plain, gzipped: isCompressible(type) ? gzipSync(plain) : undefined };
        },
        () => undefined,
      );
      files.set(relative, hit);
    }
    return hit;
  };
  const answer = (statusCode: number, headers: Record<string, string>, body: string, isBase64Encoded = false): APIGatewayProxyResult => ({
    statusCode,
    headers: { ...security, ...headers },
    body,
    isBase64Encoded,
  });

  return async (event) => {
    const method = event.httpMethod.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') {
      return answer(405, { 'content-type': 'application/json', allow: 'GET, HEAD' }, JSON.stringify({ code: 'method_not_allowed', detail: 'Method not allowed' }));
    }
    const search = new URLSearchParams((event.queryStringParameters ?? {}) as Record<string, string>).toString();
    const target = resolvePortalPath(event.path, search === '' ? '' : `?${search}`);
    if (target.kind === 'redirect') return answer(301, { location: target.location, 'content-type': 'text/plain; charset=utf-8' }, 'Moved');
    const file = target.kind === 'file' ? await load(target.relative) : undefined;
    if (target.kind !== 'file' || file === undefined) return answer(404, { 'content-type': 'application/json' }, NOT_FOUND);
    const headers = { 'content-type': file.type, 'cache-control': target.cacheControl, vary: 'accept-encoding' };
    const acceptsGzip = /\bgzip\b/.test(Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'accept-encoding')?.[1] ?? '');
    const body = acceptsGzip && file.gzipped !== undefined ? file.gzipped : file.plain;
    const encoding: Record<string, string> = body === file.gzipped ? { 'content-encoding': 'gzip' } : {};
    return answer(200, { ...headers, ...encoding }, method === 'HEAD' ? '' : body.toString('base64'), method !== 'HEAD');
  };
}
