/**
 * How each Lambda function's code is bundled, defined once: lib/sluice-function.ts turns it into the
 * CDK's NodejsFunction bundling options, and the cold-start benchmark (bench/cold-start.ts) passes it to
 * esbuild directly, so the bundles it measures are the bundles that deploy. No aws-cdk-lib import here:
 * the benchmark loads this without the CDK.
 */

/**
 * ESM needs a `require` for the CommonJS dependencies esbuild inlines. The import is aliased so it
 * cannot clash with a `createRequire` binding in the bundled code (esbuild doesn't see the banner).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);";

/**
 * The AWS SDK v3 clients are NOT bundled: the nodejs24.x runtime ships them (/var/runtime/node_modules),
 * and the CDK's own default for this runtime is to leave `@aws-sdk/*` out. Measured by `npm run bench`
 * (bench/cold-start.ts, 2026-11-30): left out, the bundles are 85-130 KB; bundled, 435-525 KB (over
 * the 300 KB target), for an init only ~15-30 ms of CPU faster (loading the SDK's shared core costs
 * ~60 ms either way; each client ~10 ms more). Only `client-*` packages are left out: helpers such as
 * `@aws-sdk/util-dynamodb` are not guaranteed in the runtime, so they stay in the bundle (5 KB).
 * The price is running the runtime's SDK version rather than package-lock.json's; the code uses only
 * long-stable operations (GetItem, PutItem, Query, BatchWriteItem, TransactWriteItems,
 * SendMessage(Batch), ChangeMessageVisibility, GetSecretValue, KMS GenerateDataKey/Decrypt).
 */
export const EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/client-*'];

/** esbuild's settings, in esbuild's own terms (CLI flag names in comments). */
export const BUNDLE_SETTINGS = {
  platform: 'node',
  format: 'esm',
  /** nodejs24.x */
  target: 'node24',
  /** Prefer the ESM builds, which esbuild tree-shakes better than the CommonJS ones. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourcemap: true,
  /** Stack traces still map to file:line; the sources themselves would only double the zip. */
  sourcesContent: false,
  external: EXTERNAL_MODULES,
  logLevel: 'warning',
} as const;

/** The output file NodejsFunction writes for an ESM bundle (the handler is then `index.handler`). */
export const BUNDLE_OUTPUT_FILE = 'index.mjs';
