import type { ApiKeyAuth } from '@agentflow/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { scrub, testRequest } from './credential-test.ts';

const auth = (...names: string[]): ApiKeyAuth => ({ type: 'apiKey', fields: names.map((name) => ({ name, label: name })) });

describe('testRequest: how a credential reaches the test URL', () => {
  it('OAuth 2.0 and API key fields named token or accessToken go as a bearer token', () => {
    expect(testRequest('https://slack.com/api/auth.test', { kind: 'bearer', token: 'xoxb-1' })).toEqual({ url: 'https://slack.com/api/auth.test', headers: { authorization: 'Bearer xoxb-1' } });
    expect(testRequest('https://api.example/me', { kind: 'apiKey', auth: auth('token'), values: { token: 't-1' } })).toEqual({ url: 'https://api.example/me', headers: { authorization: 'Bearer t-1' } });
    expect(testRequest('https://api.example/me', { kind: 'apiKey', auth: auth('accessToken'), values: { accessToken: 't-2' } })).toEqual({ url: 'https://api.example/me', headers: { authorization: 'Bearer t-2' } });
  });

  it('username and password go as HTTP Basic', () => {
    expect(testRequest('https://api.example/me', { kind: 'apiKey', auth: auth('username', 'password'), values: { username: 'ann', password: 'p:w' } }))
      .toEqual({ url: 'https://api.example/me', headers: { authorization: `Basic ${Buffer.from('ann:p:w').toString('base64')}` } });
  });

  it('{{secret:<field>}} in the URL is replaced, encoded', () => {
    expect(testRequest('https://api.example/me?key={{secret:apiKey}}', { kind: 'apiKey', auth: auth('apiKey'), values: { apiKey: 'a b&c' } }))
      .toEqual({ url: 'https://api.example/me?key=a%20b%26c', headers: {} });
  });

  it('refuses to guess otherwise, and names a placeholder that is not a field', () => {
    expect(testRequest('https://api.example/me', { kind: 'apiKey', auth: auth('apiKey'), values: { apiKey: 'k' } })).toEqual({ error: expect.stringContaining('does not say how to send its key') });
    expect(testRequest('https://api.example/me?k={{secret:other}}', { kind: 'apiKey', auth: auth('apiKey'), values: { apiKey: 'k' } })).toEqual({ error: expect.stringContaining('{{secret:other}}') });
  });
});

describe('scrub', () => {
  it('removes secrets a service echoed', () => {
    expect(scrub('Invalid key sk-12345 for account', ['sk-12345'])).toBe('Invalid key … for account');
    expect(scrub(undefined, ['x'])).toBeUndefined();
  });
});
