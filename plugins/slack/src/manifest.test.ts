import { hostAllowed, validateManifest } from '@agentflow/plugin-sdk/manifest';
import { packPlugin } from '@agentflow/plugin-sdk/pack';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR } from './test/slack-mock.ts';

describe('the slack manifest', () => {
  // Slack's API, token endpoint and auth.test all live on slack.com; the authorize URL (a
  // browser redirect) does too.
  it('packs and validates, its token and test URLs on the one host it asks for', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest.permissions).toEqual({ network: ['slack.com'], secrets: ['accessToken'] });
    const auth = packed.manifest.integration?.auth;
    expect(auth).toMatchObject({ type: 'oauth2', tokenUrl: 'https://slack.com/api/oauth.v2.access', testUrl: 'https://slack.com/api/auth.test', scopeSeparator: ',' });
    for (const url of [auth?.type === 'oauth2' ? auth.tokenUrl : '', auth?.testUrl ?? '']) {
      expect(hostAllowed(new URL(url).hostname, packed.manifest.permissions.network), url).toBe(true);
    }
  });
});
