import { defineTool, type Json } from '@agentflow/plugin-sdk';
import { callSlack } from '../slack-api.ts';

interface SlackChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  num_members?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
}

export const listChannels = defineTool({
  name: 'list_channels',
  title: 'List Slack channels',
  description:
    'Lists the public channels of the Slack workspace (conversations.list): id, name, topic, purpose, member count and whether the app is a member. ' +
    'Results come in pages: pass next_cursor back as cursor for the next page.',
  inputSchema: {
    type: 'object',
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Channels per page (default 100, at most 1000)' },
      cursor: { type: 'string', minLength: 1, maxLength: 500, description: 'next_cursor from the previous page' },
      include_archived: { type: 'boolean', default: false, description: 'Include archived channels (default false)' },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      channels: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', description: 'The channel id, e.g. C0123456789 (what post_message takes)' },
            name: { type: 'string', description: 'The channel name without #' },
            topic: { type: 'string' },
            purpose: { type: 'string' },
            is_private: { type: 'boolean' },
            is_archived: { type: 'boolean' },
            is_member: { type: 'boolean', description: 'Whether the Slack app is in the channel' },
            num_members: { type: 'integer' },
          },
          required: ['id', 'name', 'topic', 'purpose', 'is_private', 'is_archived', 'is_member'],
          additionalProperties: false,
        },
      },
      next_cursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last page' },
    },
    required: ['channels', 'next_cursor'],
    additionalProperties: false,
  },
  async run(input, ctx) {
    const answer = await callSlack(ctx, 'conversations.list', {
      get: { types: 'public_channel', exclude_archived: !(input.include_archived ?? false), limit: input.limit ?? 100, cursor: input.cursor },
    });
    const channels = (Array.isArray(answer['channels']) ? answer['channels'] : []) as unknown as SlackChannel[];
    // Slack ends pagination with an empty next_cursor.
    const metadata = answer['response_metadata'] as { next_cursor?: Json } | undefined;
    const next = typeof metadata?.next_cursor === 'string' && metadata.next_cursor !== '' ? metadata.next_cursor : null;
    return {
      channels: channels.map((c) => ({
        id: c.id,
        name: c.name,
        topic: c.topic?.value ?? '',
        purpose: c.purpose?.value ?? '',
        is_private: c.is_private ?? false,
        is_archived: c.is_archived ?? false,
        is_member: c.is_member ?? false,
        ...(typeof c.num_members === 'number' ? { num_members: c.num_members } : {}),
      })),
      next_cursor: next,
    };
  },
});
