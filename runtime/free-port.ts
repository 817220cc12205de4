import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nobody listens on right now, from the kernel's ephemeral range. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A free port in [min, max), tried at random. For servers that cannot take an
 * ephemeral port: Temporal keeps its membership ports in a Postgres smallint
 * column, so they must be below 32768, under Linux's ephemeral range.
 */
export async function freePortBetween(min: number, max: number, taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = min + Math.floor(Math.random() * (max - min));
    if (!taken.has(port) && (await canListen(port))) return port;
  }
  throw new Error(`no free port between ${min} and ${max} after 100 tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
