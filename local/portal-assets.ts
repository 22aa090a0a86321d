/**
 * Serves the built portal (portal/dist) on the local front, at /portal and /portal/assets/…, with the
 * same headers API Gateway and S3 give it on AWS (portal/serving.ts). Files are read per request, so a
 * rebuild shows up without a restart; compressible files are gzipped when the browser accepts it, as
 * API Gateway's compression would.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PORTAL_DIST } from '../portal/build.ts';
import {
  FRAME_ANCESTORS_ENV,
  contentTypeOf,
  isCompressible,
  isPortalPath,
  parseFrameAncestors,
  portalSecurityHeaders,
  resolvePortalPath,
} from '../portal/serving.ts';

export interface PortalAssets {
  /** True for the paths this server answers (the rest goes to the API handler). */
  handles(path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createPortalAssets(options: { distDir?: string; frameAncestors?: readonly string[] } = {}): PortalAssets {
  const distDir = options.distDir ?? PORTAL_DIST;
  const headers = portalSecurityHeaders(options.frameAncestors ?? ["'self'"]);
  const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string, extra: Record<string, string> = {}): void => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...headers, 'content-type': type, 'content-length': bytes.length, ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : bytes);
  };
  const notFound = (res: ServerResponse): void =>
    send(res, 404, 'application/json', JSON.stringify({ code: 'not_found', detail: 'Entity not found' }));

  return {
    handles: isPortalPath,
    async serve(req, res) {
      const url = new URL(req.url ?? '/', 'http://local');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'application/json', JSON.stringify({ code: 'method_not_allowed', detail: 'Method not allowed' }), { allow: 'GET, HEAD' });
      }
      const target = resolvePortalPath(url.pathname, url.search);
      if (target.kind === 'redirect') return send(res, 301, 'text/plain; charset=utf-8', 'Moved', { location: target.location });
      if (target.kind === 'not-found') return notFound(res);
      const file = join(distDir, target.relative);
      const cache = target.cacheControl;
      let info;
      try {
        info = await stat(file);
      } catch {
        if (target.page) {
          return send(res, 503, 'text/plain; charset=utf-8', 'The portal is not built: run `npm run build:portal` (npm install does it).');
        }
        return notFound(res);
      }
      if (!info.isFile()) return notFound(res);
      const type = contentTypeOf(file);
      const compressible = isCompressible(type);
      if (compressible && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        let entry = gzipped.get(file);
        if (entry === undefined || entry.mtimeMs !== info.mtimeMs) {
          entry = { mtimeMs: info.mtimeMs, body: gzipSync(await readFile(file)) };
          gzipped.set(file, entry);
        }
        return send(res, 200, type, entry.body, { 'cache-control': cache, 'content-encoding': 'gzip', vary: 'accept-encoding' });
      }
      return send(res, 200, type, await readFile(file), { 'cache-control': cache, vary: 'accept-encoding' });
    },
  };
}

/** The local default: frame-ancestors from SLUICE_PORTAL_FRAME_ANCESTORS. */
export function portalAssetsFromEnv(env: NodeJS.ProcessEnv = process.env): PortalAssets {
  return createPortalAssets({ frameAncestors: parseFrameAncestors(env[FRAME_ANCESTORS_ENV]) });
}
