/** The SSRF guard used when private networks are not allowed. */
import { refusePrivateAddresses } from '../../functions/shared/wiring/address-policy.ts';

test.each([
  '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
  '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1',
  '::ffff:10.0.0.1', '64:ff9b::a00:1', '',
])('%s is refused', (address) => {
  expect(refusePrivateAddresses(address, address.includes(':') ? 'IPv6' : 'IPv4')).toMatch(/refused/);
});

test.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:1.1.1.1'])('%s is allowed', (address) => {
  expect(refusePrivateAddresses(address, address.includes(':') ? 'IPv6' : 'IPv4')).toBeUndefined();
});
