import { describe, expect, it } from 'vitest';
import { oauthCallbackUrl, parseIntegration } from './integration-manifest';

describe('parseIntegration', () => {
  it('reads an OAuth integration with its scopes', () => {
    const slack = { title: 'Slack', auth: { type: 'oauth2', authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'x', scopes: ['chat:write', 7] } };
    expect(parseIntegration(slack)).toEqual({ title: 'Slack', auth: { type: 'oauth2', scopes: ['chat:write'] } });
  });

  it('reads the fields of an API-key integration, labelling unlabelled ones by name', () => {
    const value = { title: 'Acme', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'API token', description: 'From Acme settings' }, { name: 'region' }, { label: 'no name' }] } };
    expect(parseIntegration(value)).toEqual({
      title: 'Acme',
      auth: { type: 'apiKey', fields: [{ name: 'token', label: 'API token', description: 'From Acme settings' }, { name: 'region', label: 'region' }] },
    });
  });

  it('is null for plugins without a usable integration', () => {
    expect(parseIntegration(null)).toBeNull();
    expect(parseIntegration({ title: 'x' })).toBeNull();
    expect(parseIntegration({ auth: { type: 'saml' } })).toBeNull();
    expect(parseIntegration({ auth: { type: 'apiKey', fields: [] } })).toBeNull();
  });

  it('builds the redirect URL to register at the provider', () => {
    expect(oauthCallbackUrl('https://agentflow.example.com')).toBe('https://agentflow.example.com/oauth/callback');
  });
});
