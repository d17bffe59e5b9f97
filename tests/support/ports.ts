import { createServer } from 'node:net';

/** A TCP port free on loopback right now, for a server a test must know the address of before it starts (e.g. a kiosk's embedded hall server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
