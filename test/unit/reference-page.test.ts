/**
 * The reference page's renderer: served from the installed redoc package where it exists, else from
 * jsDelivr with an SRI hash that must be the installed file's (so bumping redoc without the hash fails
 * here, not in an operator's browser).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REDOC_CDN, REDOC_SRI, REDOC_VERSION, referencePage } from '../../functions/api/openapi/reference-page.ts';

const installed = fileURLToPath(import.meta.resolve('redoc/bundles/redoc.standalone.js'));

test('the pinned version is the installed one, and the SRI hash is its file\'s', () => {
  const pkg = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('redoc/package.json')), 'utf8')) as { version: string };
  expect(pkg.version).toBe(REDOC_VERSION);
  expect(REDOC_SRI).toBe(`sha384-${createHash('sha384').update(readFileSync(installed)).digest('base64')}`);
});

test('the page loads the local copy when there is one, else the CDN copy under its hash', () => {
  expect(referencePage(true)).toContain('<script src="docs/redoc.standalone.js"></script>');
  expect(referencePage(false)).toContain(`<script src="${REDOC_CDN}" integrity="${REDOC_SRI}" crossorigin="anonymous"></script>`);
  for (const local of [true, false]) expect(referencePage(local)).toContain('<redoc spec-url="openapi.json"');
});
