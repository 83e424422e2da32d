/**
 * Free TCP ports on loopback, for servers that cannot take port 0 (redis-server, a node that
 * must come back on the same port).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Asks the OS for a port that is free right now on 127.0.0.1 (another process may still take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
