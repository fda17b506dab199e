import { defineTool, type Json } from '@agentflow/plugin-sdk';
import { callSlack } from '../slack-api.ts';

export const postMessage = defineTool({
  name: 'post_message',
  title: 'Post a Slack message',
  description:
    'Posts a message to a Slack channel as the Slack app (chat.postMessage). The app must be a member of private channels. ' +
    'Reply in a thread by passing the parent message\'s ts as thread_ts. Returns the channel id and the new message\'s ts.',
  inputSchema: {
    type: 'object',
    properties: {
      channel: { type: 'string', minLength: 1, maxLength: 200, description: 'A channel id such as C0123456789 (from list_channels) or a public channel name such as #general' },
      text: {
        type: 'string', minLength: 1, maxLength: 40000,
        description: 'The message, in Slack mrkdwn (*bold*, _italic_, <https://example.com|links>, <@U123> mentions); with blocks it is the notification fallback',
      },
      thread_ts: { type: 'string', pattern: '^\\d+\\.\\d+$', description: 'The ts of the message to reply to, e.g. 1712345678.123456, to post in its thread' },
      blocks: {
        type: 'array', minItems: 1, maxItems: 50, items: { type: 'object' },
        description: 'Optional Block Kit blocks for a richer layout, e.g. [{"type":"section","text":{"type":"mrkdwn","text":"*Hello*"}}]',
      },
    },
    required: ['channel', 'text'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      channel: { type: 'string', description: 'The id of the channel the message went to' },
      ts: { type: 'string', description: 'The message\'s timestamp id (use it as thread_ts to reply)' },
      thread_ts: { type: 'string', description: 'The parent message\'s ts, for a reply' },
    },
    required: ['channel', 'ts'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const answer = await callSlack(ctx, 'chat.postMessage', {
      post: { channel: input.channel, text: input.text, thread_ts: input.thread_ts, blocks: input.blocks as Json[] | undefined },
    });
    ctx.log('info', `Posted to ${String(answer['channel'])}`, { ts: answer['ts'] ?? null });
    return {
      channel: String(answer['channel']),
      ts: String(answer['ts']),
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    };
  },
});
