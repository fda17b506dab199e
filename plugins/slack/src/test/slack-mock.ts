/**
 * Slack's Web API, mocked with msw in its real wire format: HTTP 200 with `{ ok: true, ... }` or
 * `{ ok: false, error }`, 429 with Retry-After when rate limited. Every request is recorded with
 * what actually left the host (the token filled in), so tests assert the exact outgoing call.
 */
import { fileURLToPath } from 'node:url';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

export const TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
export const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface Recorded { method: string; url: string; headers: Record<string, string>; body: string }

type Answer = { status?: number; headers?: Record<string, string>; json: JsonBodyType };

export function slackMock() {
  const requests: Recorded[] = [];
  const answers = new Map<string, Answer[]>();
  const server = setupServer(
    http.all('https://slack.com/api/:method', async ({ request, params }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => { headers[name] = value; });
      requests.push({ method: request.method, url: request.url, headers, body: await request.text() });
      // Like Slack: no or a wrong token is answered before anything else.
      if (headers['authorization'] !== `Bearer ${TOKEN}`) return HttpResponse.json({ ok: false, error: headers['authorization'] ? 'invalid_auth' : 'not_authed' });
      const answer = answers.get(String(params['method']))?.shift();
      if (!answer) return HttpResponse.json({ ok: false, error: 'unknown_method' });
      return HttpResponse.json(answer.json, { status: answer.status ?? 200, headers: answer.headers });
    }),
  );
  return {
    server,
    requests,
    /** Queues the answer to the next call of a Slack method. */
    answer(method: string, answer: Answer) {
      answers.set(method, [...(answers.get(method) ?? []), answer]);
    },
    reset() {
      requests.length = 0;
      answers.clear();
    },
  };
}
