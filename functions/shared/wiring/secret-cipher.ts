/**
 * The endpoint-secret cipher of a Lambda: KMS envelope encryption under config.secretsKeyArn. Only
 * the api and delivery entries import this (the fan-out function never reads secrets, and stays
 * without the KMS client and without KMS permissions).
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { createKmsSecretCipher } from '../../adapters/kms/kms-cipher.ts';
import type { SecretCipher } from '../../core/secrets/secret-cipher.ts';
import type { Config } from '../config.ts';

export function kmsSecretCipherFor(config: Pick<Config, 'secretsKeyArn'>, kms?: Pick<KMSClient, 'send'>): SecretCipher | undefined {
  if (config.secretsKeyArn === undefined) return undefined;
  return createKmsSecretCipher(kms ?? new KMSClient({}), config.secretsKeyArn);
}
