/**
 * One Lambda function of Sluice: a NodejsFunction bundled locally by esbuild, with the settings all
 * three share, and its own log group (explicit, so retention and removal are ours, not Lambda's).
 */
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV } from '../functions/shared/names.ts';
import { BUNDLE_SETTINGS, ESM_REQUIRE_BANNER } from './bundle-settings.ts';
import { acknowledge } from './nag.ts';

/** The repository root: entries, package-lock.json and tsconfig.json are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export { ESM_REQUIRE_BANNER };

/** BUNDLE_SETTINGS (lib/bundle-settings.ts, shared with the cold-start benchmark) in the CDK's terms. */
export const BUNDLING: nodejs.BundlingOptions = {
  format: BUNDLE_SETTINGS.format as nodejs.OutputFormat,
  mainFields: [...BUNDLE_SETTINGS.mainFields],
  banner: BUNDLE_SETTINGS.banner,
  target: BUNDLE_SETTINGS.target,
  minify: BUNDLE_SETTINGS.minify,
  sourceMap: BUNDLE_SETTINGS.sourcemap,
  sourcesContent: BUNDLE_SETTINGS.sourcesContent,
  externalModules: [...BUNDLE_SETTINGS.external],
  forceDockerBundling: false,
  logLevel: BUNDLE_SETTINGS.logLevel as nodejs.LogLevel,
};

/** Powertools' level name (POWERTOOLS_LOG_LEVEL, default INFO) as Lambda's application log level. */
export function applicationLogLevel(level: string | undefined): lambda.ApplicationLogLevel {
  switch ((level ?? 'INFO').toUpperCase()) {
    case 'TRACE':
      return lambda.ApplicationLogLevel.TRACE;
    case 'DEBUG':
      return lambda.ApplicationLogLevel.DEBUG;
    case 'WARN':
      return lambda.ApplicationLogLevel.WARN;
    case 'ERROR':
      return lambda.ApplicationLogLevel.ERROR;
    case 'CRITICAL':
    case 'SILENT':
      return lambda.ApplicationLogLevel.FATAL;
    default:
      return lambda.ApplicationLogLevel.INFO;
  }
}

export interface SluiceFunctionProps {
  /** Entry, relative to the repository root, e.g. 'functions/api/index.ts'. */
  readonly entry: string;
  /**
   * The entry with `tracing` on, e.g. 'functions/api/traced.ts': the same handler with Powertools
   * Tracer around it. A separate bundle, so that the X-Ray SDK (~125 KB) is only in traced deploys.
   */
  readonly tracedEntry?: string;
  readonly description: string;
  /** Powertools' service name, also the log group's suffix. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly tracing?: boolean;
  /** A directory (from the repository root) copied into the bundle under `to`, e.g. built static files. */
  readonly copyIntoBundle?: { readonly from: string; readonly to: string };
}

/** The bundling of `props`: BUNDLING, plus a copy of `copyIntoBundle` once esbuild has run. */
function bundlingOf(props: SluiceFunctionProps): nodejs.BundlingOptions {
  const copy = props.copyIntoBundle;
  if (copy === undefined) return BUNDLING;
  const from = join(PROJECT_ROOT, copy.from);
  return {
    ...BUNDLING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir, outputDir) => [`cp -R "${from}" "${join(outputDir, copy.to)}"`],
    },
  };
}

export class SluiceFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  /** The entry bundled (relative to the repository root): `tracedEntry` with tracing on, else `entry`. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id);
    this.entry = props.tracing === true && props.tracedEntry !== undefined ? props.tracedEntry : props.entry;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Our own role instead of Lambda's default one, whose AWSLambdaBasicExecutionRole managed policy
    // may create and write any log group in the account: this role may only write to this function's
    // own log group. Every other permission is granted by the construct that wires the function.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Sluice ${props.serviceName}: only the grants its construct adds, and its own log group`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.tracing === true) {
      // Lambda adds xray:PutTraceSegments/PutTelemetryRecords on '*' for active tracing.
      acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray trace segments have no resource to scope to: AWS documents Resource "*" for xray:PutTraceSegments and xray:PutTelemetryRecords. Only with tracing on (off by default).');
    }
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role: this.role,
      entry: join(PROJECT_ROOT, this.entry),
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
      // Lambda's advanced logging controls: JSON, and its own START/END/REPORT lines (INFO) left out,
      // so CloudWatch Logs ingests only what Sluice logs at the level it is deployed with (Powertools
      // emits JSON with a "level" that Lambda filters on; both levels come from POWERTOOLS_LOG_LEVEL).
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      applicationLogLevelV2: applicationLogLevel(props.environment[ENV.logLevel]),
      bundling: bundlingOf(props),
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  }
}
