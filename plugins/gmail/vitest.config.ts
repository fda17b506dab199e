import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The test host runs tools in isolated-vm, like the server: forked workers without Node's
    // startup snapshot (isolated-vm's README, Node >= 20); worker threads cannot take the flag.
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
  },
});
