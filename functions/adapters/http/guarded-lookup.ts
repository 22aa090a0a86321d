/**
 * The DNS step of a webhook connection, with the SSRF check in it. Node's sockets accept a `lookup`
 * function: this one resolves every address of the host (A and AAAA), refuses the connection if ANY
 * of them is not allowed (a name that answers one public and one private address is refused, so a
 * round-robin answer can't smuggle a private one through), and hands the socket only addresses it
 * vetted. The socket connects to what this function returned: there is no second lookup an attacker
 * could rebind between the check and the connect.
 *
 * IP literals never reach a lookup function (net.connect skips it), so the sender vets those itself
 * before connecting, and the agent checks every connected socket's peer address as a backstop.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** The reason to refuse `address` (canonical IP text), or undefined to allow it. */
export type ConnectAddressCheck = (address: string, family: string) => string | undefined;

/** All addresses of a host name: the resolver seam (tests inject answers, production uses the OS resolver). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (hostname) => dnsLookup(hostname, { all: true });

export class AddressRefusedError extends Error {
  readonly code = 'SLUICE_ADDRESS_REFUSED';
}

const familyName = (family: number): string => (family === 6 ? 'IPv6' : 'IPv4');

/** Checks every address; returns the first refusal, or undefined when all pass. */
export function firstRefusal(addresses: readonly LookupAddress[], check: ConnectAddressCheck): string | undefined {
  for (const { address, family } of addresses) {
    const reason = check(address, familyName(family));
    if (reason !== undefined) return reason;
  }
  return undefined;
}

export function guardedLookup(resolveAll: ResolveAll, check: ConnectAddressCheck): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveAll(hostname).then(
      (answers) => {
        if (answers.length === 0) {
          callback(Object.assign(new Error(`No addresses for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        const reason = firstRefusal(answers, check);
        if (reason !== undefined) {
          callback(new AddressRefusedError(`${hostname}: ${reason}`), '', 0);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? answers.filter((a) => a.family === options.family) : answers;
        const first = wanted[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`No IPv${String(options.family)} address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (options.all === true) callback(null, wanted);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
