#!/usr/bin/env node
// The SDK ships TypeScript sources: tsx's loader lets Node run them, then the CLI takes over.
// (`test` spawns vitest itself, with --no-node-snapshot, for the isolated-vm sandbox host.)
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
