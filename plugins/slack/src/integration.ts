import { defineIntegration } from '@agentflow/plugin-sdk';

/** A Slack app with a bot token: chat:write to post, channels:read to list public channels. */
export const slackIntegration = defineIntegration({
  title: 'Slack',
  auth: {
    type: 'oauth2',
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    scopes: ['chat:write', 'channels:read'],
    // Slack documents comma-separated scopes.
    scopeSeparator: ',',
    testUrl: 'https://slack.com/api/auth.test',
  },
});
