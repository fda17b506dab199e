import { defineIntegration } from '@agentflow/plugin-sdk';

/**
 * A Google OAuth client with the Gmail API enabled. `access_type=offline` and `prompt=consent`
 * make Google return a refresh token (on every connect, not only the first), so the host can
 * renew the hour-long access tokens.
 */
export const gmailIntegration = defineIntegration({
  title: 'Gmail',
  auth: {
    type: 'oauth2',
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    scopes: ['https://www.googleapis.com/auth/gmail.send', 'https://www.googleapis.com/auth/gmail.readonly'],
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    testUrl: 'https://gmail.googleapis.com/gmail/v1/users/me/profile',
  },
});
