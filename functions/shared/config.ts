/**
 * Configuration, parsed once (at cold start, or when the local runner starts) from the environment
 * with a zod schema, then passed in. Nothing else reads process.env.
 */
import * as z from 'zod/mini';
import { DELIVERY, ENV, TABLE } from './names.ts';

const boolean = z.pipe(
  z.optional(z.enum(['true', 'false', '1', '0', ''])),
  z.transform((v) => v === 'true' || v === '1'),
);

const retrySchedule = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return [...DELIVERY.defaultRetryScheduleSeconds];
    const delays = v.split(',').map((s) => Number(s.trim()));
    const valid = delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 43_200) && delays.length <= 20;
    if (!valid) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: 'must be up to 20 comma-separated whole seconds, each at most 43200 (12 h, the SQS limit)',
      });
      return z.NEVER;
    }
    return delays;
  }),
);

const ConfigSchema = z.object({
  [ENV.tableName]: z._default(z.string().check(z.minLength(1)), TABLE.defaultName),
  [ENV.fanoutQueueUrl]: z.string().check(z.minLength(1)),
  [ENV.deliveryQueueUrl]: z.string().check(z.minLength(1)),
  [ENV.adminToken]: z.optional(z.string().check(z.minLength(16))),
  [ENV.adminTokenSecretArn]: z.optional(z.string().check(z.minLength(1))),
  [ENV.retrySchedule]: retrySchedule,
  [ENV.allowPrivateNetworks]: boolean,
});

export interface Config {
  tableName: string;
  fanoutQueueUrl: string;
  deliveryQueueUrl: string;
  /** The admin token itself (local mode) … */
  adminToken: string | undefined;
  /** … or where to read it (AWS). */
  adminTokenSecretArn: string | undefined;
  /** Delays before attempts 2, 3, …; the first attempt is immediate. */
  retryScheduleSeconds: number[];
  allowPrivateNetworks: boolean;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  if (c[ENV.adminToken] === undefined && c[ENV.adminTokenSecretArn] === undefined) {
    throw new Error(`Invalid configuration: set ${ENV.adminToken} or ${ENV.adminTokenSecretArn}`);
  }
  return {
    tableName: c[ENV.tableName],
    fanoutQueueUrl: c[ENV.fanoutQueueUrl],
    deliveryQueueUrl: c[ENV.deliveryQueueUrl],
    adminToken: c[ENV.adminToken],
    adminTokenSecretArn: c[ENV.adminTokenSecretArn],
    retryScheduleSeconds: c[ENV.retrySchedule],
    allowPrivateNetworks: c[ENV.allowPrivateNetworks],
  };
}
