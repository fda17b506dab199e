/**
 * The Gmail API, mocked with msw in its real wire format: JSON resources on success, Google's
 * `{ error: { code, message, errors, status } }` on failure. Every request is recorded as it
 * left the host (the OAuth token filled in), so tests assert the exact outgoing call.
 */
import { fileURLToPath } from 'node:url';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

export const TOKEN = 'ya29.a0AfB_byC-test-access-token-0123456789';
export const PLUGIN_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const API = 'https://gmail.googleapis.com/gmail/v1/users/me';

export interface Recorded { method: string; url: string; headers: Record<string, string>; body: string }

/** Google's error body for a status. */
export function googleError(code: number, message: string, status: string, reason: string): JsonBodyType {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}

export const UNAUTHENTICATED = googleError(
  401,
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  'UNAUTHENTICATED',
  'authError',
);

type Answer = { status?: number; json: JsonBodyType };

export function gmailMock() {
  const requests: Recorded[] = [];
  const answers: Answer[] = [];
  const server = setupServer(
    http.all(`${API}/*`, async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => { headers[name] = value; });
      requests.push({ method: request.method, url: request.url, headers, body: await request.text() });
      if (headers['authorization'] !== `Bearer ${TOKEN}`) {
        return HttpResponse.json(UNAUTHENTICATED, { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } });
      }
      const answer = answers.shift();
      if (!answer) return HttpResponse.json(googleError(404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound'), { status: 404 });
      return HttpResponse.json(answer.json, { status: answer.status ?? 200 });
    }),
  );
  return {
    server,
    requests,
    /** Queues the answer to the next request, whatever its path. */
    answer(answer: Answer) {
      answers.push(answer);
    },
    reset() {
      requests.length = 0;
      answers.length = 0;
    },
  };
}

/** base64url of UTF-8 text (or of raw bytes), as Gmail sends message bodies. */
export const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString('base64url');
