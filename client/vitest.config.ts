import react from '@vitejs/plugin-react';
import { workflowNodeValidator } from './vite-plugins/workflow-node-validator.ts';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [react(), workflowNodeValidator()],
  test: {
    passWithNoTests: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
          setupFiles: ['./src/test/setup.ts'],
          css: false,
          restoreMocks: true,
        },
      },
      {
        extends: true,
        // The e2e tests run the real server in-process: give it graphql's CommonJS build, the one its
        // libraries (graphql-ws) require, so one copy of graphql is loaded (as in server/vitest.config.ts).
        resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.e2e.test.ts'],
          // One embedded PostgreSQL + migrated template; each file starts its own server on a clone.
          globalSetup: ['e2e/global-setup.ts'],
          // Browser tests drive one server and one Chromium: run files one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
