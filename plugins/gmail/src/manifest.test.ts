import { hostAllowed, validateManifest } from '@agentflow/plugin-sdk/manifest';
import { packPlugin } from '@agentflow/plugin-sdk/pack';
import { describe, expect, it } from 'vitest';
import { PLUGIN_DIR } from './test/gmail-mock.ts';

describe('the gmail manifest', () => {
  // The server posts the OAuth client secret and refresh tokens to Google's token endpoint and
  // tests the token against the Gmail API: installers consent to both hosts.
  it('packs and validates, listing the hosts of its token and test URLs', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest.permissions).toEqual({ network: ['gmail.googleapis.com', 'oauth2.googleapis.com'], secrets: ['accessToken'] });
    const auth = packed.manifest.integration?.auth;
    expect(auth).toMatchObject({ type: 'oauth2', tokenUrl: 'https://oauth2.googleapis.com/token', testUrl: 'https://gmail.googleapis.com/gmail/v1/users/me/profile' });
    for (const url of [auth?.type === 'oauth2' ? auth.tokenUrl : '', auth?.testUrl ?? '']) {
      expect(hostAllowed(new URL(url).hostname, packed.manifest.permissions.network), url).toBe(true);
    }
  });
});
