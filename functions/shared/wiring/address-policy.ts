/**
 * The delivery function's SSRF guard when SLUICE_ALLOW_PRIVATE_NETWORKS is off (the AWS default):
 * refuses to deliver to loopback, private, link-local (incl. the instance metadata service 169.254.169.254),
 * carrier-grade NAT, multicast and reserved addresses. It plugs into the webhook sender's
 * ConnectAddressCheck, which runs on the connected socket, so DNS answers and rebinding cannot dodge it.
 */
import { BlockList, isIPv4 } from 'node:net';
import type { ConnectAddressCheck } from '../../adapters/http/webhook-sender.ts';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address inside IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

export const refusePrivateAddresses: ConnectAddressCheck = (address) => {
  const plain = unmapped(address);
  const family = isIPv4(plain) ? 'ipv4' : 'ipv6';
  if (plain === '' || blocked.check(plain, family)) {
    return `Delivery to ${address || 'an unknown address'} is refused: it is not a public address (set SLUICE_ALLOW_PRIVATE_NETWORKS=true to allow private networks)`;
  }
  return undefined;
};
