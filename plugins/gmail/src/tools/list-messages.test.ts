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

/** users.messages.get with format=metadata, as Gmail answers it. */
const metadata = (id: string, headers: Record<string, string>, snippet: string, labelIds = ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX']) => ({
  id, threadId: id, labelIds, snippet,
  payload: { partId: '', mimeType: 'multipart/alternative', filename: '', headers: Object.entries(headers).map(([name, value]) => ({ name, value })), body: { size: 0 } },
  sizeEstimate: 5123, historyId: '1234567', internalDate: '1795507964000',
});

describe('list_messages', () => {
  it('searches, then reads each match\'s headers and snippet', async () => {
    gmail.answer({ json: { messages: [{ id: '193a1b2c3d4e5f60', threadId: '193a1b2c3d4e5f60' }, { id: '193a0f0e0d0c0b0a', threadId: '1939ffeeddccbbaa' }], nextPageToken: '09876543210987654321', resultSizeEstimate: 14 } });
    gmail.answer({ json: metadata('193a1b2c3d4e5f60', { From: 'Ana Silva <ana@example.com>', To: 'me@example.org', Subject: 'Q4 numbers', Date: 'Tue, 24 Nov 2026 09:12:44 +0100' }, 'Hi team, the Q4 numbers are in') });
    gmail.answer({ json: metadata('193a0f0e0d0c0b0a', { From: '=?UTF-8?B?QmrDtnJu?= <bjorn@example.se>', To: 'me@example.org', Subject: '=?UTF-8?Q?R=C3=A9union_demain?=', Date: 'Mon, 23 Nov 2026 18:01:02 +0100' }, 'On se voit à 10h ?', ['INBOX']) });

    const result = await host.call('list_messages', { query: 'from:ana@example.com is:unread newer_than:7d', maxResults: 2 });

    expect(result).toMatchObject({
      ok: true,
      output: {
        messages: [
          { id: '193a1b2c3d4e5f60', threadId: '193a1b2c3d4e5f60', from: 'Ana Silva <ana@example.com>', to: 'me@example.org', subject: 'Q4 numbers', date: 'Tue, 24 Nov 2026 09:12:44 +0100', snippet: 'Hi team, the Q4 numbers are in', labelIds: ['UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'] },
          { id: '193a0f0e0d0c0b0a', threadId: '193a0f0e0d0c0b0a', from: 'Björn <bjorn@example.se>', subject: 'Réunion demain', snippet: 'On se voit à 10h ?', labelIds: ['INBOX'] },
        ],
        nextPageToken: '09876543210987654321',
        resultSizeEstimate: 14,
      },
    });
    expect(gmail.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', `${API}/messages?q=from%3Aana%40example.com%20is%3Aunread%20newer_than%3A7d&maxResults=2`],
      ['GET', `${API}/messages/193a1b2c3d4e5f60?format=metadata&metadataHeaders=From&metadataHeaders=To&metadataHeaders=Subject&metadataHeaders=Date`],
      ['GET', `${API}/messages/193a0f0e0d0c0b0a?format=metadata&metadataHeaders=From&metadataHeaders=To&metadataHeaders=Subject&metadataHeaders=Date`],
    ]);
    for (const request of gmail.requests) expect(request.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('answers an empty page when nothing matches (Gmail then leaves out `messages`)', async () => {
    gmail.answer({ json: { resultSizeEstimate: 0 } });
    const result = await host.call('list_messages', { query: 'subject:"does not exist"', pageToken: '123', includeSpamTrash: true });
    expect(result).toMatchObject({ ok: true, output: { messages: [], nextPageToken: null, resultSizeEstimate: 0 } });
    expect(gmail.requests[0]!.url).toBe(`${API}/messages?q=subject%3A%22does%20not%20exist%22&maxResults=10&pageToken=123&includeSpamTrash=true`);
  });

  it('reports a bad search the way Gmail words it', async () => {
    gmail.answer({ status: 400, json: googleError(400, 'Invalid pageToken', 'INVALID_ARGUMENT', 'invalidArgument') });
    const result = await host.call('list_messages', { pageToken: 'garbage' });
    expect(result).toMatchObject({ ok: false, code: 'THROWN', error: expect.stringContaining('400 INVALID_ARGUMENT: Invalid pageToken') });
  });

  it('caps a page at 25 messages (one metadata call each)', async () => {
    await expect(host.call('list_messages', { maxResults: 26 })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(gmail.requests).toHaveLength(0);
  });
});
