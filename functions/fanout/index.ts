/** Lambda entry of the fan-out function: built once per cold start, then reused by every invocation. */
import { loadConfig } from '../shared/config.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { buildFanoutHandler } from '../shared/wiring/fanout.ts';

const config = loadConfig();

export const handler = buildFanoutHandler(config, createAwsClients());
