import { definePlugin } from '@agentflow/plugin-sdk';
import { gmailIntegration } from './integration.ts';
import { listMessages } from './tools/list-messages.ts';
import { readMessage } from './tools/read-message.ts';
import { sendMessage } from './tools/send-message.ts';

export default definePlugin({ tools: [sendMessage, listMessages, readMessage], integration: gmailIntegration });
