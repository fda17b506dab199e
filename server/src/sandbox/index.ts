export { createSandboxPool } from './pool.ts';
export type { SandboxPool, SandboxPoolOptions, SandboxProcessInfo } from './pool.ts';
export { createFetchBridge } from './fetch-bridge.ts';
export type { FetchBridgeOptions } from './fetch-bridge.ts';
