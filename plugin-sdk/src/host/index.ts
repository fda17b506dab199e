export { createIsolateHost, describeBundle } from './isolate-host.ts';
export type { IsolateHost, IsolateHostOptions, IsolateHostStats } from './isolate-host.ts';
export { loadIsolatedVm } from './ivm.ts';
export { DEFAULT_LIMITS, resolveLimits } from './limits.ts';
export type { LogEntry, SandboxBridges, SandboxCall, SandboxErrorCode, SandboxLimits, SandboxResult, SandboxRunner } from './types.ts';
export { createSecretTag, isSecretTag, PLACEHOLDER_LIKE, SECRET_TAG, secretPatterns, taggedPlaceholder, type SecretPatterns } from './secret-tag.ts';
export {
  authorityProblem, bareHostProblem, basicCredentials, basicTemplate, encodeSecret, fillPlaceholders, hostTemplate, MIN_SCRUBBED_LENGTH,
  placeholderNames, redact, REDACTED, scrubbedForms, type HostTemplate, type SecretEncoding,
} from './secret-placeholders.ts';
