/** `npm start`'s settings, read from the environment with the names and schema the Lambdas use. */
import { join, resolve } from 'node:path';
import { loadConfig } from '../functions/shared/config.ts';
import { ENV } from '../functions/shared/names.ts';
import { loadOrCreateAdminToken } from './admin-token.ts';
import { reliabilityFromConfig, type ReliabilityOptions } from './workers.ts';

const DEFAULT_PORT = 8787;
export const DATA_DIR_ENV = 'SLUICE_DATA_DIR';

export interface LocalSettings {
  port: number;
  dataDir: string;
  adminToken: string;
  retryScheduleSeconds: number[];
  allowPrivateNetworks: boolean;
  allowedSubnets: string[];
  requireHttps: boolean;
  logLevel: string;
  /** SLUICE_ATTEMPT_TIMEOUT_MS, SLUICE_DISABLE_AFTER_*, SLUICE_OPERATIONAL_WEBHOOK_*, SLUICE_OVERLOAD_MIN_DELAY_SECONDS. */
  reliability: ReliabilityOptions;
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
  const privateNetworks = env[ENV.allowPrivateNetworks];
  return {
    port,
    dataDir,
    adminToken,
    retryScheduleSeconds: config.retryScheduleSeconds,
    allowPrivateNetworks: privateNetworks === undefined || privateNetworks === '' ? true : config.allowPrivateNetworks,
    allowedSubnets: config.allowedSubnets ?? [],
    requireHttps: config.requireHttps ?? false,
    logLevel: env[ENV.logLevel] ?? 'INFO',
    reliability: reliabilityFromConfig(config),
  };
}
