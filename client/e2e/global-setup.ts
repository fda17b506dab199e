import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from '../../server/test/support/test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

const CLIENT_INDEX = fileURLToPath(new URL('../dist/index.html', import.meta.url));

/**
 * One PostgreSQL (embedded unless TEST_DATABASE_URL is set) and one migrated template for the
 * whole browser run. Each test file clones the template and starts its own server in-process
 * (see helpers.ts), so files can pick their own settings and read the server's database.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(CLIENT_INDEX)) {
    throw new Error('client/dist is missing: build the web app first (`npm run test:e2e` from the repository root does it).');
  }
  const pg = await startTestPostgres(process.env.TEST_DATABASE_URL || undefined);
  project.provide('adminUrl', pg.adminUrl);
  project.provide('templateDatabase', pg.template);
  return () => pg.stop();
}
