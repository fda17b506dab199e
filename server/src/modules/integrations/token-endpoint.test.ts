import { describe, expect, it } from 'vitest';
import { readGrant, TokenEndpointError } from './token-endpoint.ts';

function failure(status: number, body: Record<string, unknown> | null): unknown {
  let error: unknown;
  try {
    readGrant(status, body);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TokenEndpointError);
  return error;
}

describe('readGrant', () => {
  it("reads Slack's oauth.v2.access answer (bot token, with token rotation)", () => {
    expect(readGrant(200, {
      ok: true, access_token: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', token_type: 'bot', scope: 'chat:write,channels:read',
      bot_user_id: 'U0KRQLJ9H', app_id: 'A0KRD7HC3', refresh_token: 'xoxe-1-abc', expires_in: 43200,
      team: { name: 'Slack Pickleball Team', id: 'T9TK3CUKW' }, enterprise: null,
      authed_user: { id: 'U1234', scope: 'chat:write', access_token: 'xoxp-1234', token_type: 'user' },
    })).toEqual({ accessToken: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', refreshToken: 'xoxe-1-abc', expiresIn: 43200, tokenType: 'bot', scope: 'chat:write,channels:read' });
  });

  it('reads a Slack user-token-only install from authed_user', () => {
    expect(readGrant(200, { ok: true, app_id: 'A1', authed_user: { id: 'U1', scope: 'search:read', access_token: 'xoxp-user', token_type: 'user' }, team: { id: 'T1' } }))
      .toEqual({ accessToken: 'xoxp-user', tokenType: 'user', scope: 'search:read' });
  });

  it("reads Google's token answer", () => {
    expect(readGrant(200, { access_token: 'ya29.a0Af', expires_in: 3599, refresh_token: '1//0g-refresh', scope: 'https://www.googleapis.com/auth/gmail.send', token_type: 'Bearer' }))
      .toEqual({ accessToken: 'ya29.a0Af', refreshToken: '1//0g-refresh', expiresIn: 3599, tokenType: 'Bearer', scope: 'https://www.googleapis.com/auth/gmail.send' });
  });

  it('reads expires_in given as a string (form-encoded answers)', () => {
    expect(readGrant(200, { access_token: 'a', expires_in: '60' }).expiresIn).toBe(60);
  });

  it("Slack's { ok: false } is a refusal", () => {
    const err = failure(200, { ok: false, error: 'invalid_code' });
    expect(err).toMatchObject({ code: 'invalid_code', permanent: true, message: 'invalid_code' });
  });

  it("Google's invalid_grant is a refusal with its description", () => {
    const err = failure(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    expect(err).toMatchObject({ code: 'invalid_grant', permanent: true, message: 'invalid_grant (Token has been expired or revoked.)' });
  });

  it('server errors and rate limits are worth retrying; other statuses are not', () => {
    expect(failure(503, null)).toMatchObject({ permanent: false, message: 'HTTP 503' });
    expect(failure(500, { error: 'internal_failure' })).toMatchObject({ permanent: false });
    expect(failure(429, null)).toMatchObject({ permanent: false });
    expect(failure(401, null)).toMatchObject({ permanent: true, message: 'HTTP 401' });
  });

  it('an answer without a token is an error', () => {
    expect((failure(200, { token_type: 'Bearer' }) as Error).message).toBe('the answer has no access token');
    expect((failure(200, null) as Error).message).toBe('the answer is not JSON');
  });
});
