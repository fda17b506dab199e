import type { Json, ToolContext } from '@agentflow/plugin-sdk';

export const SLACK_API = 'https://slack.com/api';

/** What Slack's Web API answers: always an object with `ok`, even for errors (mostly HTTP 200). */
export type SlackResponse = { ok: true; [key: string]: Json } | { ok: false; error: string; [key: string]: Json };

// Slack's error codes are terse; these say what to do about the common ones.
const HINTS: Record<string, string> = {
  channel_not_found: 'the channel does not exist or the Slack app cannot see it (list_channels gives channel ids)',
  not_in_channel: 'the Slack app is not a member of this channel: invite it with /invite @<app name>',
  is_archived: 'the channel is archived',
  msg_too_long: 'the message text is too long',
  no_text: 'the message needs text (or blocks)',
  invalid_blocks: 'the blocks are not valid Block Kit',
  invalid_cursor: 'the cursor is not valid: use next_cursor from the previous page',
  not_authed: 'no token was sent: connect the Slack integration',
  invalid_auth: 'the token is not valid: reconnect the Slack integration',
  token_revoked: 'the token was revoked: reconnect the Slack integration',
  token_expired: 'the token expired: reconnect the Slack integration',
  account_inactive: 'the Slack user or app behind the token was deactivated: reconnect the Slack integration',
  ratelimited: 'Slack is rate limiting these calls',
};

/** A failed Slack call, with Slack's error code (`channel_not_found`, `invalid_auth`, ...) in `code`. */
export class SlackError extends Error {
  constructor(readonly code: string, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'SlackError';
  }
}

/**
 * Calls a Slack Web API method with the integration's bot token (filled in by the host). GET
 * methods take `params` as a query string; POST methods a JSON body. Slack answers HTTP 200 with
 * `{ ok: false, error }` for most failures: those become a thrown {@link SlackError}.
 */
export async function callSlack(ctx: ToolContext, method: string, request: { get: Record<string, string | number | boolean | undefined> } | { post: Record<string, Json | undefined> }): Promise<Record<string, Json>> {
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.secret('accessToken')}` };
  let url = `${SLACK_API}/${method}`;
  let body: Json | undefined;
  if ('get' in request) {
    const query = Object.entries(request.get).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    if (query.length) url += `?${query.join('&')}`;
  } else {
    // Slack warns (missing_charset) about JSON bodies without a charset.
    headers['content-type'] = 'application/json; charset=utf-8';
    body = Object.fromEntries(Object.entries(request.post).filter(([, v]) => v !== undefined)) as Record<string, Json>;
  }
  const response = await ctx.fetch({ url, method: 'get' in request ? 'GET' : 'POST', headers, ...(body !== undefined ? { body } : {}) });
  const json = response.json;
  const answer = json !== null && typeof json === 'object' && !Array.isArray(json) && typeof json['ok'] === 'boolean' ? (json as SlackResponse) : undefined;
  if (response.status === 429) {
    const retry = response.headers['retry-after'];
    throw new SlackError('ratelimited', `Slack is rate limiting ${method}${retry ? `; retry after ${retry} seconds` : ''}`);
  }
  if (!answer) throw new SlackError(`http_${response.status}`, `Slack answered ${method} with HTTP ${response.status} and no Slack response`);
  if (!answer.ok) {
    const code = typeof answer.error === 'string' ? answer.error : 'unknown_error';
    const needed = typeof answer.needed === 'string' ? `the Slack app lacks the ${answer.needed} scope: add it and reconnect` : undefined;
    throw new SlackError(code, needed ?? HINTS[code]);
  }
  if (answer.warning) ctx.log('warn', `Slack warning on ${method}: ${String(answer.warning)}`);
  return answer;
}
