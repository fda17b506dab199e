import { defineIntegration } from '@agentflow/plugin-sdk';

/**
 * One API per organization: its host and credentials. The host is a "secret" too, so the sandbox
 * host fills it in and the credentials can only ever travel to it (see `resolveTarget`).
 */
export const httpIntegration = defineIntegration({
  title: 'HTTP API',
  auth: {
    type: 'apiKey',
    fields: [
      { name: 'host', label: 'API host', description: 'The host name authenticated requests go to, over https, e.g. api.example.com (no scheme, port or path)' },
      { name: 'token', label: 'Token', description: 'For bearer auth, or the value of an API key header', optional: true },
      { name: 'username', label: 'Username', description: 'For basic auth', optional: true },
      { name: 'password', label: 'Password', description: 'For basic auth', optional: true },
    ],
  },
});
