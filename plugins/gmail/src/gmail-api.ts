import type { Json, ToolContext } from '@agentflow/plugin-sdk';

export const GMAIL_API = 'https://gmail.googleapis.com/gmail/v1/users/me';

/** A failed Gmail call, with Google's HTTP status and status name (`UNAUTHENTICATED`, `NOT_FOUND`, ...). */
export class GmailError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'GmailError';
  }
}

// What to do about the failures people can fix.
const HINTS: Record<number, string> = {
  401: 'the Gmail integration\'s token is not valid any more: reconnect it',
  403: 'the Google account or the OAuth app lacks permission (check the gmail.send and gmail.readonly scopes and reconnect)',
  404: 'no such message in this mailbox',
  429: 'Gmail is rate limiting this mailbox; try again later',
};

/**
 * Calls the Gmail API for the connected mailbox (`users/me`) with the integration's OAuth token
 * (filled in by the host). Google answers errors as `{ error: { code, message, status } }`: they
 * become a thrown {@link GmailError} that says what went wrong and what to do.
 */
export async function callGmail(ctx: ToolContext, path: string, options: { method?: 'GET' | 'POST'; query?: [string, string | number | undefined][]; body?: Json } = {}): Promise<Record<string, Json>> {
  const query = (options.query ?? []).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.secret('accessToken')}`, accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await ctx.fetch({
    url: `${GMAIL_API}${path}${query.length ? `?${query.join('&')}` : ''}`,
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const json = response.json;
  const answer = json !== null && typeof json === 'object' && !Array.isArray(json) ? json : undefined;
  if (response.ok && answer) return answer;
  const error = answer?.['error'];
  const detail = error !== null && typeof error === 'object' && !Array.isArray(error) ? error : undefined;
  const status = typeof detail?.['status'] === 'string' ? detail['status'] : `HTTP_${response.status}`;
  const message = typeof detail?.['message'] === 'string' ? detail['message'] : response.ok ? 'the answer is not JSON' : `HTTP ${response.status}`;
  const hint = HINTS[response.status];
  throw new GmailError(response.status, status, `${response.status} ${status}: ${message}${hint ? ` (${hint})` : ''}`);
}

/** Gmail message ids are short hexadecimal strings; anything else could change the request path. */
export const MESSAGE_ID_PATTERN = '^[A-Za-z0-9_-]{1,128}$';
