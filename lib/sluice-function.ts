/**
 * One Lambda function of Sluice: a NodejsFunction bundled locally by esbuild, with the settings all
 * three share, and its own log group (explicit, so retention and removal are ours, not Lambda's).
 */
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * ESM needs a `require` for the CommonJS dependencies esbuild inlines. The import is aliased so it
 * cannot clash with a `createRequire` binding in the bundled code (esbuild doesn't see the banner).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);";

/**
 * The AWS SDK v3 is bundled (`externalModules: []`), not taken from the runtime:
 * - the code runs the SDK version it was tested with (locally against the emulators), not whatever the
 *   runtime ships that month;
 * - esbuild tree-shakes the ESM build (`mainFields: module,main`) down to the commands we use, and one
 *   minified file loads faster than resolving the runtime's many-file copy of the SDK;
 * - the bundle sizes are measured and reported (see the final report / README), so the cost is visible.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  target: 'node24',
  minify: true,
  sourceMap: true,
  // Stack traces still map to file:line; the sources themselves would only double the zip.
  sourcesContent: false,
  externalModules: [],
  forceDockerBundling: false,
  logLevel: nodejs.LogLevel.WARNING,
};

export interface SluiceFunctionProps {
  /** Entry, relative to the repository root, e.g. 'functions/api/index.ts'. */
  readonly entry: string;
  readonly description: string;
  /** Powertools' service name, also the log group's suffix. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly tracing?: boolean;
}

export class SluiceFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      // Graviton: ~20 % cheaper per GB-second than x86, and nothing here is architecture-specific.
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      logGroup: this.logGroup,
      tracing: props.tracing === true ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      bundling: BUNDLING,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  }
}
