/** `npm start`'s settings, read from the environment with the names and schema the Lambdas use. */
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../functions/shared/config.ts';
import { ENV } from '../functions/shared/names.ts';
import { loadOrCreateAdminToken } from './admin-token.ts';

const DEFAULT_PORT = 8787;
export const DATA_DIR_ENV = 'SLUICE_DATA_DIR';

/**
 * Config fields the local stack decides itself: where its table and queues are, which admin token it
 * serves, and how secrets are sealed (a local AES key, never KMS). Everything else comes from the environment.
 */
export const STACK_OWNED_CONFIG = [
  'tableName',
  'fanoutQueueUrl',
  'deliveryQueueUrl',
  'deliverySlowQueueUrl',
  'fanoutOrderedQueueUrl',
  'deliveryOrderedQueueUrl',
  'adminToken',
  'adminTokenSecretArn',
  'secretsKeyArn',
] as const;
export type EnvironmentConfig = Omit<Config, (typeof STACK_OWNED_CONFIG)[number]>;

export interface LocalSettings {
  port: number;
  dataDir: string;
  adminToken: string;
  logLevel: string;
  /**
   * Every other Config field exactly as loadConfig parsed it, handed to the stack whole, so a variable
   * added to functions/shared/config.ts takes effect locally with no change here.
   */
  environment: EnvironmentConfig;
}

/** Validates with loadConfig (the Lambdas' schema); the queue URLs are not known yet, so stand-ins fill them. */
export function readLocalSettings(env: Record<string, string | undefined>, repoRoot: string): LocalSettings {
  const dataDir = resolve(repoRoot, env[DATA_DIR_ENV] ?? '.sluice');
  const port = env[ENV.port] === undefined || env[ENV.port] === '' ? DEFAULT_PORT : Number(env[ENV.port]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`Invalid configuration: ${ENV.port} must be a port number`);
  const adminToken = env[ENV.adminToken] || loadOrCreateAdminToken(join(dataDir, 'admin-token'));
  const config = loadConfig({
    ...env,
    [ENV.adminToken]: adminToken,
    [ENV.fanoutQueueUrl]: 'local',
    [ENV.deliveryQueueUrl]: 'local',
  });
  const environment: Record<string, unknown> = { ...config };
  for (const key of STACK_OWNED_CONFIG) delete environment[key];
  // The one local default that differs from AWS: receivers on localhost work unless told otherwise.
  const privateNetworks = env[ENV.allowPrivateNetworks];
  if (privateNetworks === undefined || privateNetworks === '') environment.allowPrivateNetworks = true;
  return {
    port,
    dataDir,
    adminToken,
    logLevel: env[ENV.logLevel] ?? 'INFO',
    environment: environment as EnvironmentConfig,
  };
}
