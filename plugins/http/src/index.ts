import { definePlugin } from '@agentflow/plugin-sdk';
import { httpIntegration } from './integration.ts';
import { request } from './tools/request.ts';

export default definePlugin({ tools: [request], integration: httpIntegration });
