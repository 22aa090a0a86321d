/** A port already taken gets a one-line answer that says how to pick another, before any emulator starts. */
import { createServer } from 'node:net';

export const portInUse = (port: number): string =>
  `port ${port} on 127.0.0.1 is already in use (another Sluice, or another server): start with PORT=<free port>, e.g. PORT=${port === 65_535 ? port - 1 : port + 1} npm start`;

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

/** Throws PortInUseError when `port` cannot be listened on; port 0 (any free one) always passes. */
export function assertPortFree(port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(portInUse(port)) : error);
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
