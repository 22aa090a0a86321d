/**
 * Keep-alive agents for webhook connections whose every socket is checked once connected: the
 * backstop of the SSRF guard. The peer address of the TCP connection is what the request will really
 * reach, whatever DNS said; a refused peer is dropped before a byte of the request is written (the
 * check runs in the socket's first 'connect' listener, registered before http's own).
 */
import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { AddressRefusedError, type ConnectAddressCheck } from './guarded-lookup.ts';

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;

function watch(socket: Duplex | null | undefined, check: ConnectAddressCheck | undefined): void {
  if (check === undefined || socket === null || socket === undefined) return;
  const s = socket as Socket;
  s.once('connect', () => {
    const reason = check(s.remoteAddress ?? '', s.remoteFamily ?? '');
    if (reason !== undefined) s.destroy(new AddressRefusedError(reason));
  });
}

/** Idle keep-alive sockets are closed after this long (receivers commonly close theirs at 5 s). */
export const KEEP_ALIVE_IDLE_MS = 4_000;

const agentOptions: AgentOptions = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, scheduling: 'lifo' };

export function createGuardedAgents(check: ConnectAddressCheck | undefined): { http: HttpAgent; https: HttpsAgent } {
  class GuardedHttpAgent extends HttpAgent {
    override createConnection(options: ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      watch(socket, check);
      return socket;
    }
  }
  class GuardedHttpsAgent extends HttpsAgent {
    override createConnection(options: ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
      const socket = super.createConnection(options, callback);
      watch(socket, check);
      return socket;
    }
  }
  return { http: new GuardedHttpAgent(agentOptions), https: new GuardedHttpsAgent(agentOptions) };
}
