import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Role } from '../src/config/env.ts';
import { testEnv } from './helpers.ts';

const SERVER_DIR = path.resolve(import.meta.dirname, '..');

export interface ServerProcess {
  url: string; graphqlUrl: string; wsUrl: string; child: ChildProcess;
  /** SIGTERM (a graceful shutdown), resolved once the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash or an OOM kill; resolved once it has exited. */
  kill(): Promise<void>;
}

/** Runs `src/main.ts` as its own OS process (as `npm start` does) and waits for its URL. */
export async function spawnServer(databaseUrl: string, role: Role = 'api', overrides: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--role=${role}`], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...testEnv(databaseUrl, { LOG_LEVEL: 'error', ...overrides }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /running at (http:\/\/\S+?) /.exec(out) ?? (/worker is running/.test(out) ? ['', ''] : null);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  /** A process killed by a signal has a signalCode and no exitCode: either means it is gone. */
  const signal = (name: NodeJS.Signals) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(name);
  });
  return {
    url, child,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
