/**
 * Builds the portal into portal/dist: index.html at the top, hashed files under portal/assets/.
 * The page is served at `<api base>/portal` (no trailing slash), and the base (a stage such as /prod, or a
 * custom domain's base path) is not known at build time, so every URL in index.html is relative:
 * `./portal/assets/…` resolves to `<api base>/portal/assets/…`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'portal/assets',
    // The polyfill would be injected as an inline script, which the portal's CSP refuses.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
