export { createTestHost, type TestHost, type TestHostOptions } from './test-host.ts';
export { createTestFetchBridge, type TestFetchBridgeOptions } from './fetch-bridge.ts';
export type { LogEntry, SandboxErrorCode, SandboxResult } from '../host/types.ts';
export { createSecretTag } from '../host/secret-tag.ts';
