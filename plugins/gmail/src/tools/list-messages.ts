import { defineTool } from '@agentflow/plugin-sdk';
import { callGmail } from '../gmail-api.ts';
import { decodeHeaderValue, headerOf, type GmailPart } from '../mime.ts';

/** One metadata call per message: the cap keeps a page within the sandbox's bridge-call budget. */
export const MAX_RESULTS = 25;

const SUMMARY_HEADERS = ['From', 'To', 'Subject', 'Date'];

export const listMessages = defineTool({
  name: 'list_messages',
  title: 'Search emails',
  description:
    'Searches the connected Gmail mailbox with Gmail search syntax (e.g. "from:ana@example.com is:unread newer_than:7d") and returns the newest matches: ' +
    'id, thread id, from, to, subject, date and a snippet. Use read_message with an id for the full text. Pass nextPageToken back as pageToken for more.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', maxLength: 2000, description: 'A Gmail search, as typed in Gmail\'s search box; empty lists the newest messages' },
      maxResults: { type: 'integer', minimum: 1, maximum: MAX_RESULTS, default: 10, description: `How many messages (default 10, at most ${MAX_RESULTS})` },
      pageToken: { type: 'string', minLength: 1, maxLength: 500, description: 'nextPageToken from the previous page' },
      includeSpamTrash: { type: 'boolean', default: false, description: 'Also search Spam and Trash (default false)' },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      messages: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            threadId: { type: 'string' },
            from: { type: 'string' },
            to: { type: 'string' },
            subject: { type: 'string' },
            date: { type: 'string' },
            snippet: { type: 'string', description: 'The start of the text, as Gmail shows it' },
            labelIds: { type: 'array', items: { type: 'string' }, description: 'e.g. INBOX, UNREAD, IMPORTANT' },
          },
          required: ['id', 'threadId', 'from', 'to', 'subject', 'date', 'snippet', 'labelIds'],
          additionalProperties: false,
        },
      },
      nextPageToken: { type: ['string', 'null'], description: 'Pass as pageToken for the next page; null on the last page' },
      resultSizeEstimate: { type: 'integer', description: 'Gmail\'s estimate of all matches' },
    },
    required: ['messages', 'nextPageToken', 'resultSizeEstimate'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const page = await callGmail(ctx, '/messages', {
      query: [
        ['q', input.query || undefined],
        ['maxResults', input.maxResults ?? 10],
        ['pageToken', input.pageToken],
        ['includeSpamTrash', input.includeSpamTrash ? 'true' : undefined],
      ],
    });
    // Gmail leaves `messages` out when nothing matches.
    const ids = (Array.isArray(page['messages']) ? page['messages'] : []) as { id: string; threadId: string }[];
    const messages = await Promise.all(ids.map(async ({ id }) => {
      const meta = await callGmail(ctx, `/messages/${encodeURIComponent(id)}`, {
        query: [['format', 'metadata'], ...SUMMARY_HEADERS.map((h): [string, string] => ['metadataHeaders', h])],
      });
      const payload = meta['payload'] as GmailPart | undefined;
      const header = (name: string) => decodeHeaderValue(headerOf(payload, name) ?? '');
      return {
        id: String(meta['id'] ?? id),
        threadId: String(meta['threadId'] ?? ''),
        from: header('From'),
        to: header('To'),
        subject: header('Subject'),
        date: header('Date'),
        snippet: typeof meta['snippet'] === 'string' ? meta['snippet'] : '',
        labelIds: Array.isArray(meta['labelIds']) ? meta['labelIds'].map(String) : [],
      };
    }));
    return {
      messages,
      nextPageToken: typeof page['nextPageToken'] === 'string' ? page['nextPageToken'] : null,
      resultSizeEstimate: typeof page['resultSizeEstimate'] === 'number' ? page['resultSizeEstimate'] : messages.length,
    };
  },
});
