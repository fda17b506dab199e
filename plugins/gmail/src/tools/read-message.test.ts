import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API, b64url, gmailMock, PLUGIN_DIR, TOKEN } from '../test/gmail-mock.ts';

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

const TEXT = 'Hi Mia,\r\n\r\nThe Q4 numbers are attached: revenue is up 12 % — détails inside.\r\n\r\nAna';
const HTML = '<div dir="ltr">Hi Mia,<br><br>The Q4 numbers are attached: revenue is up 12&nbsp;% — détails inside.<br><br>Ana</div>';

/** users.messages.get with format=full for a typical mail: text and HTML alternatives plus a PDF. */
const fullMessage = {
  id: '193a1b2c3d4e5f60',
  threadId: '193a1b2c3d4e5f60',
  labelIds: ['IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
  snippet: 'Hi Mia, The Q4 numbers are attached: revenue is up 12 % — détails inside. Ana',
  payload: {
    partId: '',
    mimeType: 'multipart/mixed',
    filename: '',
    headers: [
      { name: 'Delivered-To', value: 'mia@example.org' },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'From', value: 'Ana Silva <ana@example.com>' },
      { name: 'Date', value: 'Tue, 24 Nov 2026 09:12:44 +0100' },
      { name: 'Message-ID', value: '<CAB1234567890@mail.gmail.com>' },
      { name: 'Subject', value: '=?UTF-8?Q?Q4_numbers_=E2=80=94_d=C3=A9tails?=' },
      { name: 'To', value: 'Mia Chen <mia@example.org>' },
      { name: 'Cc', value: 'bo@example.org' },
      { name: 'Content-Type', value: 'multipart/mixed; boundary="000000000000a1b2c3"' },
    ],
    body: { size: 0 },
    parts: [
      {
        partId: '0',
        mimeType: 'multipart/alternative',
        filename: '',
        headers: [{ name: 'Content-Type', value: 'multipart/alternative; boundary="000000000000d4e5f6"' }],
        body: { size: 0 },
        parts: [
          { partId: '0.0', mimeType: 'text/plain', filename: '', headers: [{ name: 'Content-Type', value: 'text/plain; charset="UTF-8"' }, { name: 'Content-Transfer-Encoding', value: 'quoted-printable' }], body: { size: 88, data: b64url(TEXT) } },
          { partId: '0.1', mimeType: 'text/html', filename: '', headers: [{ name: 'Content-Type', value: 'text/html; charset="UTF-8"' }, { name: 'Content-Transfer-Encoding', value: 'quoted-printable' }], body: { size: 130, data: b64url(HTML) } },
        ],
      },
      {
        partId: '1',
        mimeType: 'application/pdf',
        filename: 'q4-numbers.pdf',
        headers: [
          { name: 'Content-Type', value: 'application/pdf; name="q4-numbers.pdf"' },
          { name: 'Content-Disposition', value: 'attachment; filename="q4-numbers.pdf"' },
          { name: 'Content-Transfer-Encoding', value: 'base64' },
        ],
        body: { attachmentId: 'ANGjdJ8wX1y2z3', size: 48213 },
      },
    ],
  },
  sizeEstimate: 72000,
  historyId: '1234567',
  internalDate: '1795507964000',
};

describe('read_message', () => {
  it('returns the headers, the decoded text/plain body and the attachments', async () => {
    gmail.answer({ json: fullMessage });
    const result = await host.call('read_message', { id: '193a1b2c3d4e5f60' });

    expect(result).toEqual(expect.objectContaining({
      ok: true,
      output: {
        id: '193a1b2c3d4e5f60',
        threadId: '193a1b2c3d4e5f60',
        labelIds: ['IMPORTANT', 'CATEGORY_PERSONAL', 'INBOX'],
        from: 'Ana Silva <ana@example.com>',
        to: 'Mia Chen <mia@example.org>',
        cc: 'bo@example.org',
        subject: 'Q4 numbers — détails',
        date: 'Tue, 24 Nov 2026 09:12:44 +0100',
        snippet: fullMessage.snippet,
        body: TEXT,
        bodyFormat: 'text',
        truncated: false,
        attachments: [{ filename: 'q4-numbers.pdf', mimeType: 'application/pdf', size: 48213 }],
      },
    }));
    expect(gmail.requests).toHaveLength(1);
    expect(gmail.requests[0]).toMatchObject({ method: 'GET', url: `${API}/messages/193a1b2c3d4e5f60?format=full` });
    expect(gmail.requests[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('falls back to the HTML part as text, and reads Latin-1 bodies', async () => {
    const htmlOnly = { ...fullMessage, payload: { ...fullMessage.payload, mimeType: 'text/html', parts: undefined, headers: [{ name: 'Subject', value: 'Newsletter' }, { name: 'Content-Type', value: 'text/html; charset=UTF-8' }], body: { size: 130, data: b64url(HTML) } } };
    gmail.answer({ json: htmlOnly });
    const html = await host.call('read_message', { id: '193a1b2c3d4e5f60' });
    expect(html).toMatchObject({ ok: true, output: { subject: 'Newsletter', body: 'Hi Mia,\n\nThe Q4 numbers are attached: revenue is up 12 % — détails inside.\n\nAna', bodyFormat: 'html', from: '', attachments: [] } });

    const latin1 = Uint8Array.from([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x61, 0x75, 0x73, 0x20, 0x4b, 0xf6, 0x6c, 0x6e]);
    gmail.answer({ json: { ...fullMessage, payload: { mimeType: 'text/plain', filename: '', headers: [{ name: 'Content-Type', value: 'text/plain; charset=ISO-8859-1' }], body: { size: 14, data: b64url(latin1) } } } });
    const legacy = await host.call('read_message', { id: '193a1b2c3d4e5f60' });
    expect(legacy).toMatchObject({ ok: true, output: { body: 'Grüße aus Köln', bodyFormat: 'text' } });
  });

  it('cuts a very long body and says so', async () => {
    const long = 'All work and no play. '.repeat(3000);
    gmail.answer({ json: { ...fullMessage, payload: { mimeType: 'text/plain', filename: '', headers: [], body: { size: long.length, data: b64url(long) } } } });
    const result = await host.call('read_message', { id: '193a1b2c3d4e5f60' });
    expect(result).toMatchObject({ ok: true, output: { truncated: true, body: long.slice(0, 50_000) } });
  });

  it('says when the message does not exist', async () => {
    // The mock answers Gmail's 404 when nothing is queued.
    const result = await host.call('read_message', { id: '0000000000000000' });
    expect(result).toMatchObject({ ok: false, code: 'THROWN', error: expect.stringContaining('404 NOT_FOUND: Requested entity was not found. (no such message in this mailbox)') });
  });

  it('refuses an id that could change the request path', async () => {
    for (const id of ['../profile', '193a?format=raw', '']) {
      await expect(host.call('read_message', { id }), id).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(gmail.requests).toHaveLength(0);
  });
});
