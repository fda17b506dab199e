import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './support/test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext { adminUrl: string; templateDatabase: string }
}

/** One Postgres and one migrated template for the whole run; files clone the template. */
export default async function setup(project: TestProject) {
  const pg = await startTestPostgres(process.env.TEST_DATABASE_URL || undefined);
  project.provide('adminUrl', pg.adminUrl);
  project.provide('templateDatabase', pg.template);
  return () => pg.stop();
}
