/**
 * GET /openapi.json (the document, generated from the route table on first request) and GET /docs
 * (the reference page), both public like Svix's. The route table is passed lazily: it includes these
 * routes.
 */
import { REDOC_ASSET, redocScript, referencePage } from '../openapi/reference-page.ts';
import type { Route } from '../types.ts';

const API_VERSION = '1.0.0';

export function openapiRoutes(routes: () => readonly Route[]): Route[] {
  let document: Record<string, unknown> | undefined;
  return [
    {
      method: 'GET',
      pattern: '/openapi.json',
      public: true,
      handler: async (req) => {
        // Imported on first use: esbuild keeps it in the bundle but evaluates it lazily, off the cold start.
        const { buildOpenApiDocument, withServer } = await import('../openapi/document.ts');
        document ??= buildOpenApiDocument(routes(), API_VERSION);
        return { status: 200, body: withServer(document, req.baseUrl) };
      },
    },
    {
      method: 'GET',
      pattern: '/docs',
      public: true,
      handler: async () => ({
        status: 200,
        raw: { contentType: 'text/html; charset=utf-8', body: referencePage((await redocScript()) !== undefined) },
      }),
    },
    {
      method: 'GET',
      pattern: `/docs/${REDOC_ASSET}`,
      public: true,
      handler: async () => {
        const script = await redocScript();
        if (script === undefined) return { status: 404, body: { code: 'not_found', detail: 'Served from the CDN here' } };
        return { status: 200, raw: { contentType: 'text/javascript; charset=utf-8', body: script } };
      },
    },
  ];
}
