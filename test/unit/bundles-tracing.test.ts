/**
 * The X-Ray SDK is only in the traced bundles: each function's plain entry (what every deploy without
 * `-c tracing=true` runs) is bundled as the CDK bundles it (lib/bundle-settings.ts) and must not
 * contain aws-xray-sdk-core or Powertools Tracer; its traced entry must.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLE_SETTINGS } from '../../lib/bundle-settings.ts';

const REPO = join(import.meta.dirname, '..', '..');
const FUNCTIONS = ['api', 'fanout', 'deliver'] as const;

async function bundledPackages(entry: string): Promise<{ packages: Set<string>; bytes: number }> {
  const result = await esbuild.build({
    ...BUNDLE_SETTINGS,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    external: [...BUNDLE_SETTINGS.external],
    entryPoints: [join(REPO, entry)],
    bundle: true,
    write: false,
    outdir: '/tmp/sluice-bundle-check',
    metafile: true,
    absWorkingDir: REPO,
  });
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('.js'))![1];
  const packages = new Set(Object.keys(output.inputs).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'sluice'));
  return { packages, bytes: output.bytes };
}

test.each(FUNCTIONS)('%s: the X-Ray SDK is in the traced bundle only', async (fn) => {
  const [plain, traced] = await Promise.all([bundledPackages(`functions/${fn}/index.ts`), bundledPackages(`functions/${fn}/traced.ts`)]);
  expect([...plain.packages].filter((p) => p.includes('xray') || p.includes('tracer'))).toEqual([]);
  expect([...traced.packages]).toEqual(expect.arrayContaining(['aws-xray-sdk-core', '@aws-lambda-powertools/tracer']));
  expect(traced.bytes).toBeGreaterThan(plain.bytes);
});
