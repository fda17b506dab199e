import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // isolated-vm needs child processes started with --no-node-snapshot (its README, Node >= 20);
    // worker threads cannot take that flag.
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    testTimeout: 30_000,
    maxWorkers: 2,
  },
});
