import { defineTool } from '@agentflow/plugin-sdk';
import { base64UrlOfText } from '../encoding.ts';
import { callGmail } from '../gmail-api.ts';
import { buildMessage, parseAddresses } from '../mime.ts';

const addresses = (what: string) => ({
  anyOf: [
    { type: 'string', minLength: 3, maxLength: 5000 },
    { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 3, maxLength: 320 } },
  ],
  description: `${what}: a list of plain email addresses (["ana@example.com"]), or one string separated by commas`,
}) as const;

export const sendMessage = defineTool({
  name: 'send_message',
  title: 'Send an email',
  description:
    'Sends a plain-text email from the connected Gmail account (the sender is that account). ' +
    'Returns the sent message\'s id and thread id. Double-check recipients: sent email cannot be recalled.',
  inputSchema: {
    type: 'object',
    properties: {
      to: addresses('Recipients'),
      cc: addresses('Copy recipients'),
      subject: { type: 'string', maxLength: 998, pattern: '^[^\\r\\n]*$', description: 'The subject line (one line)' },
      body: { type: 'string', maxLength: 250000, description: 'The message as plain text; line breaks are kept' },
    },
    required: ['to', 'subject', 'body'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      id: { type: 'string', description: 'The sent message\'s id (read_message takes it)' },
      threadId: { type: 'string', description: 'The conversation it belongs to' },
      labelIds: { type: 'array', items: { type: 'string' }, description: 'Gmail labels, SENT among them' },
    },
    required: ['id', 'threadId', 'labelIds'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const to = parseAddresses(input.to, 'to');
    if (to.length === 0) throw new Error('to: give at least one recipient');
    const cc = parseAddresses(input.cc, 'cc');
    const raw = base64UrlOfText(buildMessage({ to, cc, subject: input.subject, body: input.body }));
    const sent = await callGmail(ctx, '/messages/send', { method: 'POST', body: { raw } });
    ctx.log('info', `Sent message ${String(sent['id'])} to ${to.length + cc.length} recipient(s)`);
    return {
      id: String(sent['id']),
      threadId: String(sent['threadId']),
      labelIds: Array.isArray(sent['labelIds']) ? sent['labelIds'].map(String) : [],
    };
  },
});
