import { definePlugin } from '@agentflow/plugin-sdk';
import { slackIntegration } from './integration.ts';
import { listChannels } from './tools/list-channels.ts';
import { postMessage } from './tools/post-message.ts';

export default definePlugin({ tools: [postMessage, listChannels], integration: slackIntegration });
