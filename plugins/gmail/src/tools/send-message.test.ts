import type { Json } from '@agentflow/plugin-sdk';
import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API, gmailMock, googleError, PLUGIN_DIR, TOKEN } from '../test/gmail-mock.ts';

const gmail = gmailMock();
let host: TestHost;
beforeAll(async () => {
  gmail.server.listen({ onUnhandledRequest: 'error' });
  host = await createTestHost({ dir: PLUGIN_DIR, secrets: { accessToken: TOKEN } });
});
afterEach(() => gmail.reset());
afterAll(async () => {
  await host?.close();
  gmail.server.close();
});

/** The RFC 5322 message inside the request's `raw`, its base64 body decoded. */
function sentMessage(body: string): { headers: string[]; text: string } {
  const raw = (JSON.parse(body) as { raw: string }).raw;
  expect(raw).toMatch(/^[A-Za-z0-9_-]+$/); // base64url without padding
  const [head, encoded] = Buffer.from(raw, 'base64url').toString('utf8').split('\r\n\r\n');
  return { headers: head!.split('\r\n'), text: Buffer.from(encoded!.replace(/\r\n/g, ''), 'base64').toString('utf8') };
}

describe('send_message', () => {
  it('posts a base64url RFC 5322 message with the host\'s OAuth token', async () => {
    gmail.answer({ json: { id: '193a1b2c3d4e5f60', threadId: '193a1b2c3d4e5f60', labelIds: ['SENT'] } });
    const result = await host.call('send_message', {
      to: ['ana@example.com', 'bo@example.org'], cc: 'cy@example.net', subject: 'Résumé — Q4 ✓', body: 'Hi Ana,\n\nThe numbers look good 👍\nBest,\nMia',
    });

    expect(result).toMatchObject({ ok: true, output: { id: '193a1b2c3d4e5f60', threadId: '193a1b2c3d4e5f60', labelIds: ['SENT'] } });
    expect(gmail.requests).toHaveLength(1);
    const [request] = gmail.requests;
    expect(request).toMatchObject({ method: 'POST', url: `${API}/messages/send` });
    expect(request!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' });
    expect(Object.keys(JSON.parse(request!.body))).toEqual(['raw']);
    const message = sentMessage(request!.body);
    expect(message.headers).toEqual([
      'To: ana@example.com, bo@example.org',
      'Cc: cy@example.net',
      'Subject: =?UTF-8?B?UsOpc3Vtw6kg4oCUIFE0IOKckw==?=',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset="UTF-8"',
      'Content-Transfer-Encoding: base64',
    ]);
    expect(Buffer.from('UsOpc3Vtw6kg4oCUIFE0IOKckw==', 'base64').toString('utf8')).toBe('Résumé — Q4 ✓');
    expect(message.text).toBe('Hi Ana,\r\n\r\nThe numbers look good 👍\r\nBest,\r\nMia');
  });

  it('explains Google\'s errors: a rejected header, a token without the scope, an expired token', async () => {
    gmail.answer({ status: 400, json: googleError(400, 'Invalid To header', 'INVALID_ARGUMENT', 'invalidArgument') });
    const invalid = await host.call('send_message', { to: 'ana@example.com', subject: 'Hi', body: 'Hello' });
    expect(invalid).toMatchObject({ ok: false, code: 'THROWN', error: expect.stringContaining('GmailError: 400 INVALID_ARGUMENT: Invalid To header') });

    gmail.answer({ status: 403, json: googleError(403, 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', 'insufficientPermissions') });
    const scope = await host.call('send_message', { to: 'ana@example.com', subject: 'Hi', body: 'Hello' });
    expect(scope.ok === false && scope.error).toContain('403 PERMISSION_DENIED: Request had insufficient authentication scopes. (the Google account or the OAuth app lacks permission (check the gmail.send and gmail.readonly scopes and reconnect))');

    const expired = await createTestHost({ dir: PLUGIN_DIR, secrets: { accessToken: 'ya29.expired' } });
    try {
      const result = await expired.call('send_message', { to: 'ana@example.com', subject: 'Hi', body: 'Hello' });
      expect(result.ok === false && result.error).toContain('401 UNAUTHENTICATED: Request had invalid authentication credentials.');
      expect(result.ok === false && result.error).toContain('reconnect it');
    } finally {
      await expired.close();
    }
  });

  it('refuses recipients that are not plain addresses, before calling Gmail', async () => {
    const bad: Json[] = [
      { to: 'ana@example.com\r\nBcc: eve@evil.example', subject: 'Hi', body: 'x' },
      { to: ['Ana <ana@example.com>'], subject: 'Hi', body: 'x' },
      { to: ' , ', subject: 'Hi', body: 'x' },
    ];
    for (const input of bad) {
      const result = await host.call('send_message', input);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, code: 'THROWN' });
    }
    const empty = await host.call('send_message', { to: ' , ', subject: 'Hi', body: 'x' });
    expect(empty.ok === false && empty.error).toContain('to: give at least one recipient');
    await expect(host.call('send_message', { to: [], subject: 'Hi', body: 'x' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await expect(host.call('send_message', { to: 'ana@example.com', subject: 'Hi\nBcc: eve@evil.example', body: 'x' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await expect(host.call('send_message', { to: 'ana@example.com', body: 'x' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(gmail.requests).toHaveLength(0);
  });
});
