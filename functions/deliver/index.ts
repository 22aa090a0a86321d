/** Lambda entry of the delivery function: built once per cold start, then reused by every invocation. */
import { loadConfig } from '../shared/config.ts';
import { createAwsClients } from '../shared/wiring/clients.ts';
import { buildDeliveryHandler } from '../shared/wiring/deliver.ts';
import { kmsSecretCipherFor } from '../shared/wiring/secret-cipher.ts';

const config = loadConfig();

export const handler = buildDeliveryHandler(config, createAwsClients(), undefined, { cipher: kmsSecretCipherFor(config) });
