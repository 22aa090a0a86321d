/**
 * A page of "the team's own product" on another local origin (another port), embedding the portal the
 * way svix-react's <AppPortal> does: an iframe with allow="clipboard-write" that takes its height from
 * the portal's `svix.iframe-resizer-height` messages. The heights it got are kept in `window.heights`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  origin: string;
  /** The host page embedding `portalUrl`. */
  urlFor(portalUrl: string): string;
  close(): Promise<void>;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function startHostPage(): Promise<HostPage> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const src = url.searchParams.get('src') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html><head><title>Acme dashboard</title></head>
<body>
  <h1>Acme dashboard</h1>
  <iframe id="portal" title="Webhooks" allow="clipboard-write" style="width:100%;border:0;height:200px" src="${escapeHtml(src)}"></iframe>
  <script>
    window.heights = [];
    window.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'svix.iframe-resizer-height') {
        window.heights.push({ origin: event.origin, height: event.data.height });
        document.getElementById('portal').style.height = event.data.height + 'px';
      }
    });
  </script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urlFor: (portalUrl) => `${origin}/?src=${encodeURIComponent(portalUrl)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Svix's theming parameters go in the query, before the fragment (as <AppPortal> adds them). */
export function withTheme(portalLink: string, theme: Record<string, string>): string {
  const url = new URL(portalLink);
  for (const [k, v] of Object.entries(theme)) url.searchParams.set(k, v);
  return url.toString();
}
