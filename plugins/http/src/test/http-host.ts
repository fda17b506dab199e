import { fileURLToPath } from 'node:url';
import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';

export const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** A public API the tests call without credentials, the API host set in the integration, and a third host. */
export const PUBLIC_HOST = 'api.publicdata.example';
export const INTEGRATION_HOST = 'api.acme.example';
export const ELSEWHERE_HOST = 'files.elsewhere.example';

export const SECRETS = { host: INTEGRATION_HOST, token: 'acme_live_7f3b9c1d2e', username: 'alice', password: 's3cret:with:colons' };

/**
 * The plugin packed as it ships. Its manifest allows any host (`*`), so the test host lets every
 * request through to msw, which refuses the ones no test mocks. (The server's fetch bridge adds
 * the address checks: loopback, private, link-local and metadata addresses stay unreachable.)
 */
export const httpTestHost = (secrets: Record<string, string> = SECRETS): Promise<TestHost> => createTestHost({ dir: PLUGIN_DIR, secrets });
