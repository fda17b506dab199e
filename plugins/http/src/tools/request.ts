import { defineTool, type FetchRequest, type Json, type ToolContext } from '@agentflow/plugin-sdk';
import { checkHeaderName, checkHeaders, findPlaceholder, resolveTarget, withQuery, type QueryValue } from '../request-parts.ts';

/** Response text beyond this is cut, so one large page does not fill a model's context. */
export const MAX_BODY_CHARS = 100_000;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

type Auth = { type: 'none' } | { type: 'bearer' } | { type: 'header'; header: string } | { type: 'basic' };

export interface RequestInput {
  method?: Method;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: Json;
  auth?: { type: Auth['type']; header?: string };
}

const scalar = { type: ['string', 'number', 'boolean'] } as const;

export const request = defineTool({
  name: 'request',
  title: 'HTTP request',
  description:
    'Sends an HTTP request to a REST API and returns the status, headers and body (parsed when it is JSON). ' +
    'Use a full https:// URL for public endpoints, or a path such as /v1/items for the API host set in the HTTP integration; ' +
    'only the latter may be authenticated (auth.type bearer, header or basic), so credentials never go anywhere else. ' +
    'Non-2xx answers are returned, not thrown: check `ok` and `status`.',
  inputSchema: {
    type: 'object',
    properties: {
      method: { type: 'string', enum: METHODS, default: 'GET', description: 'The HTTP method (default GET)' },
      url: {
        type: 'string', minLength: 1, maxLength: 8000,
        description: 'A full URL (https://api.example.com/v1/items), or a path on the integration\'s API host (/v1/items); percent-encode special characters',
      },
      headers: {
        type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 8000 },
        description: 'Request headers, e.g. {"accept": "application/json"}; credentials come from `auth`, not from here',
      },
      query: {
        type: 'object', maxProperties: 100,
        additionalProperties: { anyOf: [scalar, { type: 'array', maxItems: 100, items: scalar }] },
        description: 'Query parameters, percent-encoded for you; an array repeats the key (tag=a&tag=b)',
      },
      body: {
        description: 'The request body: an object or array is sent as JSON; a string is sent as is (set its content-type header)',
      },
      auth: {
        type: 'object',
        properties: {
          type: {
            type: 'string', enum: ['none', 'bearer', 'header', 'basic'],
            description: 'none; bearer: "Authorization: Bearer <token>"; header: the token in the header named by `header`; basic: HTTP basic auth with the integration\'s username and password',
          },
          header: { type: 'string', minLength: 1, maxLength: 100, description: 'For type header: the header that carries the token, e.g. X-API-Key' },
        },
        required: ['type'],
        additionalProperties: false,
        description: 'Credentials from the HTTP integration; only for paths on its API host',
      },
    },
    required: ['url'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      status: { type: 'integer', description: 'The HTTP status code' },
      ok: { type: 'boolean', description: 'Whether the status is 2xx' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Response headers, lower-cased names' },
      body: { description: 'The parsed JSON body, or the body as text' },
      truncated: { type: 'boolean', description: `Whether the body was longer than ${MAX_BODY_CHARS} characters and was cut (it is then text)` },
    },
    required: ['status', 'ok', 'headers', 'body', 'truncated'],
    additionalProperties: false,
  },
  async run(input: RequestInput, ctx) {
    return send(input, ctx);
  },
});

/** Checks the input, builds the request (credentials as placeholders) and shapes the answer. */
export async function send(input: RequestInput, ctx: ToolContext) {
  const smuggled = findPlaceholder(input);
  if (smuggled) throw new Error(`${smuggled} contains a secret placeholder ({{secret:...}}); credentials can only be added with auth`);
  const method = input.method ?? 'GET';
  const target = resolveTarget(input.url);
  const auth = parseAuth(input.auth);
  if (auth.type !== 'none' && target.kind !== 'integration') {
    throw new Error(`Authenticated requests only go to the API host set in the HTTP integration: pass a path such as /v1/items instead of a full URL (auth ${auth.type})`);
  }
  const headers = checkHeaders(input.headers);
  if (auth.type !== 'none') {
    const name = auth.type === 'header' ? auth.header : 'authorization';
    if (name in headers) throw new Error(`Leave the ${name} header out: auth ${auth.type} sets it`);
    headers[name] = authValue(auth, ctx);
  }
  if ((method === 'GET' || method === 'HEAD') && input.body !== undefined) throw new Error(`A ${method} request has no body`);

  // The API host is a bare name (no scheme, port or path): the host percent-encodes secrets it
  // fills into a URL, which leaves letters, digits, dots and dashes alone.
  const url = target.kind === 'integration' ? `https://${ctx.secret('host')}${target.path}` : target.url;
  const outgoing: FetchRequest = { url: withQuery(url, input.query), method, headers };
  if (input.body !== undefined) outgoing.body = input.body;
  ctx.log('info', `${method} ${target.kind === 'integration' ? `<integration host>${target.path}` : target.url}`, { auth: auth.type });
  const response = await ctx.fetch(outgoing);

  const truncated = response.text.length > MAX_BODY_CHARS;
  const body: Json = truncated ? response.text.slice(0, MAX_BODY_CHARS) : (response.json ?? response.text);
  return { status: response.status, ok: response.ok, headers: response.headers, body, truncated };
}

function parseAuth(auth: RequestInput['auth']): Auth {
  if (!auth || auth.type === 'none') return { type: 'none' };
  if (auth.type !== 'header') return { type: auth.type };
  if (!auth.header) throw new Error('auth type header needs `header`: the name of the header that carries the token, e.g. X-API-Key');
  return { type: 'header', header: checkHeaderName(auth.header) };
}

/**
 * The credential as placeholders the host fills in. Basic auth is `user:password` in base64,
 * which the plugin cannot compute without seeing the values: it sends `Basic <user>:<password>`
 * and the host encodes it after filling in the secrets (a base64 credential never contains ':').
 */
function authValue(auth: Exclude<Auth, { type: 'none' }>, ctx: ToolContext): string {
  switch (auth.type) {
    case 'bearer': return `Bearer ${ctx.secret('token')}`;
    case 'header': return ctx.secret('token');
    case 'basic': return `Basic ${ctx.secret('username')}:${ctx.secret('password')}`;
  }
}
