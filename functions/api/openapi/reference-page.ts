/**
 * The human-readable API reference: a small HTML page that renders ./openapi.json with Redoc. The
 * renderer's standalone script (1.1 MB) is never part of the api bundle: it is read from the `redoc`
 * package on first request where node_modules exists (local mode), and where it does not (the
 * bundled Lambda) the page loads the same pinned file from jsDelivr's npm mirror, checked by its
 * Subresource Integrity hash (test/unit/reference-page.test.ts keeps the hash and the package in step).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const REDOC_VERSION = '2.5.4';
export const REDOC_CDN = `https://cdn.jsdelivr.net/npm/redoc@${REDOC_VERSION}/bundles/redoc.standalone.js`;
/** sha384 of that file (the same bytes as node_modules/redoc/bundles/redoc.standalone.js). */
export const REDOC_SRI = 'sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5';
export const REDOC_ASSET = 'redoc.standalone.js';
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

let asset: Promise<string | undefined> | undefined;

/** The standalone script from node_modules, or undefined where it is not installed. */
export function redocScript(): Promise<string | undefined> {
  asset ??= (async () => {
    try {
      const script = await readFile(fileURLToPath(import.meta.resolve('redoc/bundles/redoc.standalone.js')), 'utf8');
      // The sidebar's "API docs by Redocly" logo is an image on Redoc's CDN: the text link stays, the
      // image (which fails, then hides itself) does not make the page call out.
      return script.replaceAll(REDOC_LOGO, 'data:,');
    } catch {
      return undefined;
    }
  })();
  return asset;
}

/** `local`: the script is served next to the page (docs/redoc.standalone.js); else the CDN copy. */
export function referencePage(local: boolean): string {
  const script = local ? `src="docs/${REDOC_ASSET}"` : `src="${REDOC_CDN}" integrity="${REDOC_SRI}" crossorigin="anonymous"`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sluice API reference</title>
  <style>body { margin: 0; }</style>
</head>
<body>
  <redoc spec-url="openapi.json" hide-download-button="false"></redoc>
  <script ${script}></script>
</body>
</html>
`;
}
