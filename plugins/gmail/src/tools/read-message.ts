import { defineTool } from '@agentflow/plugin-sdk';
import { callGmail, MESSAGE_ID_PATTERN } from '../gmail-api.ts';
import { attachments, decodeHeaderValue, headerOf, messageText, type GmailPart } from '../mime.ts';

/** Body text beyond this is cut, so one long thread does not fill a model's context. */
export const MAX_BODY_CHARS = 50_000;

export const readMessage = defineTool({
  name: 'read_message',
  title: 'Read an email',
  description:
    'Reads one message of the connected Gmail mailbox by id (from list_messages): from, to, cc, subject, date, labels, ' +
    'the plain-text body (or the HTML body as text when there is no plain-text part) and the attachments\' names and sizes.',
  inputSchema: {
    type: 'object',
    properties: {
      id: { type: 'string', pattern: MESSAGE_ID_PATTERN, description: 'The message id, e.g. 18f2a3b4c5d6e7f8' },
    },
    required: ['id'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      threadId: { type: 'string' },
      labelIds: { type: 'array', items: { type: 'string' } },
      from: { type: 'string' },
      to: { type: 'string' },
      cc: { type: 'string' },
      subject: { type: 'string' },
      date: { type: 'string', description: 'The Date header, e.g. "Tue, 3 Nov 2026 09:12:44 +0100"' },
      snippet: { type: 'string' },
      body: { type: 'string', description: 'The message text' },
      bodyFormat: { enum: ['text', 'html', 'none'], description: 'text: the plain-text part; html: the HTML part with tags removed; none: no text part' },
      truncated: { type: 'boolean', description: `Whether the body was longer than ${MAX_BODY_CHARS} characters and was cut` },
      attachments: {
        type: 'array',
        items: {
          type: 'object',
          properties: { filename: { type: 'string' }, mimeType: { type: 'string' }, size: { type: 'integer', description: 'Bytes' } },
          required: ['filename', 'mimeType', 'size'],
          additionalProperties: false,
        },
      },
    },
    required: ['id', 'threadId', 'labelIds', 'from', 'to', 'cc', 'subject', 'date', 'snippet', 'body', 'bodyFormat', 'truncated', 'attachments'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const message = await callGmail(ctx, `/messages/${encodeURIComponent(input.id)}`, { query: [['format', 'full']] });
    const payload = (message['payload'] ?? {}) as GmailPart;
    const header = (name: string) => decodeHeaderValue(headerOf(payload, name) ?? '');
    const { text, format } = messageText(payload);
    const truncated = text.length > MAX_BODY_CHARS;
    return {
      id: String(message['id'] ?? input.id),
      threadId: String(message['threadId'] ?? ''),
      labelIds: Array.isArray(message['labelIds']) ? message['labelIds'].map(String) : [],
      from: header('From'),
      to: header('To'),
      cc: header('Cc'),
      subject: header('Subject'),
      date: header('Date'),
      snippet: typeof message['snippet'] === 'string' ? message['snippet'] : '',
      body: truncated ? text.slice(0, MAX_BODY_CHARS) : text,
      bodyFormat: format,
      truncated,
      attachments: attachments(payload),
    };
  },
});
