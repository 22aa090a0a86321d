/**
 * The SSRF policy (functions/core/network/address-policy.ts) as configured: the api uses it for the
 * 422 at endpoint create/update, the delivery function for every connection.
 */
import { createAddressPolicy, type AddressPolicy } from '../../core/network/address-policy.ts';
import type { Config } from '../config.ts';

export function addressPolicyFor(config: Pick<Config, 'allowPrivateNetworks' | 'allowedSubnets' | 'requireHttps'>): AddressPolicy {
  return createAddressPolicy({
    allowPrivateNetworks: config.allowPrivateNetworks,
    allowedSubnets: config.allowedSubnets ?? [],
    requireHttps: config.requireHttps ?? false,
  });
}
