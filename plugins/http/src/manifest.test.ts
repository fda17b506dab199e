import { validateManifest } from '@agentflow/plugin-sdk/manifest';
import { packPlugin } from '@agentflow/plugin-sdk/pack';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR } from './test/http-host.ts';

describe('the http manifest', () => {
  // A generic connector cannot list its hosts in advance: it asks for any public host ("*"),
  // the SSRF rules still applying, and sends credentials only to the integration's API host.
  it('packs and validates, asking for any public host and the integration\'s four secrets', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest).toMatchObject({ name: 'http', version: '1.0.0', kind: 'plugin' });
    expect(packed.manifest.permissions).toEqual({ network: ['*'], secrets: ['host', 'token', 'username', 'password'] });
    expect(packed.manifest.tools.map((t) => t.name)).toEqual(['request']);
    expect(packed.manifest.integration?.auth).toMatchObject({ type: 'apiKey', fields: [{ name: 'host' }, { name: 'token' }, { name: 'username' }, { name: 'password' }] });
  });
});
