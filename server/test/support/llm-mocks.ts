/**
 * msw handlers that answer like the real Anthropic, OpenAI and Gemini APIs, streaming included,
 * so the official SDKs run unmodified against them. Tests script what the "model" says:
 *
 *   const llm = llmMock();
 *   beforeAll(() => llm.listen()); afterEach(() => llm.reset()); afterAll(() => llm.close());
 *   llm.openai.reply({ toolCalls: [{ name: 'search', arguments: { q: 'x' } }] }).reply({ text: 'Done.' });
 *   ... run the code under test ...
 *   expect(llm.requests[1].body.messages).toContainEqual(expect.objectContaining({ role: 'tool' }));
 *
 * Replies are consumed in order per provider; an empty queue answers DEFAULT_REPLY. Routes match
 * by path on any host, so OpenAI-compatible base URLs (http://llm.local:11434/v1) hit the `openai`
 * script. Everything else passes through untouched (`onUnhandledRequest: 'bypass'`), so a test's
 * own server on 127.0.0.1 keeps working.
 */
import { http, HttpResponse } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';

export type MockProvider = 'anthropic' | 'openai' | 'gemini';
export type MockStopReason = 'end' | 'tool_use' | 'max_tokens';
/** `input` counts every prompt token, cached included (as our Usage does). */
export interface MockUsage { input: number; output: number; cached?: number }
export interface MockToolCall { name: string; arguments: Record<string, unknown>; id?: string }

/** A model answer. Text streams one word per SSE event; tool calls follow the text. */
export interface MockAnswer {
  text?: string;
  toolCalls?: MockToolCall[];
  /** Default: input 10, output = words + tool calls, cached 0. */
  usage?: MockUsage;
  /** Default: 'tool_use' when there are tool calls, else 'end'. */
  stopReason?: MockStopReason;
}
/** An HTTP error in the provider's own JSON error shape. */
export interface MockError { status: number; message?: string }
/** Sends the headers and the first text chunk, then stalls until the client aborts. */
export interface MockHang { hang: true; text?: string }
export type MockReply = MockAnswer | MockError | MockHang;

/** Parsed JSON wire bodies: `any` on purpose, so tests can reach into them and assert. */
export type WireJson = Record<string, any>;

export interface RecordedRequest {
  provider: MockProvider;
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: WireJson;
  streamed: boolean;
  /** Set once the client aborted the request (a cancelled call, or a stream it stopped reading). */
  aborted: boolean;
}

export interface Script {
  /** Queues one reply; chainable. */
  reply(reply: MockReply): Script;
  /** Replies queued and not yet consumed. */
  readonly pending: number;
}

export interface LlmMock {
  server: SetupServer;
  anthropic: Script;
  openai: Script;
  gemini: Script;
  /** Every request the mock answered, in arrival order. */
  requests: RecordedRequest[];
  /** `server.listen({ onUnhandledRequest: 'bypass' })`. */
  listen(): void;
  close(): void;
  /** Empties the queues and the request log, and drops handlers added with `server.use`. */
  reset(): void;
}

export const DEFAULT_REPLY: MockAnswer = { text: 'This is the mock model answering.' };

export function llmMock(): LlmMock {
  const queues: Record<MockProvider, MockReply[]> = { anthropic: [], openai: [], gemini: [] };
  const requests: RecordedRequest[] = [];
  let ids = 0;
  const nextId = () => String(++ids).padStart(4, '0');

  const script = (provider: MockProvider): Script => {
    const s: Script = {
      reply(reply) {
        queues[provider].push(reply);
        return s;
      },
      get pending() {
        return queues[provider].length;
      },
    };
    return s;
  };

  /** Logs the request, takes the next scripted reply and renders it in the provider's format. */
  async function answer(provider: MockProvider, request: Request, streamed: (body: WireJson) => boolean, render: Render): Promise<Response> {
    const body = (await request.json().catch(() => ({}))) as WireJson;
    const entry: RecordedRequest = { provider, url: request.url, headers: Object.fromEntries(request.headers), body, streamed: streamed(body), aborted: false };
    request.signal.addEventListener('abort', () => (entry.aborted = true), { once: true });
    requests.push(entry);
    return render(queues[provider].shift() ?? DEFAULT_REPLY, entry, request.signal, nextId);
  }

  const server = setupServer(
    http.post('*/v1/messages', ({ request }) => answer('anthropic', request, (b) => b.stream === true, anthropic)),
    http.post('*/chat/completions', ({ request }) => answer('openai', request, (b) => b.stream === true, openai)),
    // `{model}:generateContent` and `{model}:streamGenerateContent?alt=sse`, any API version.
    http.post('*/models/:modelAction', ({ request, params }) => {
      const action = String(params.modelAction);
      const model = action.slice(0, action.lastIndexOf(':'));
      return answer('gemini', request, () => action.endsWith(':streamGenerateContent'), (reply, entry, signal) => gemini(reply, entry, model, signal));
    }),
  );

  return {
    server,
    anthropic: script('anthropic'),
    openai: script('openai'),
    gemini: script('gemini'),
    requests,
    listen: () => server.listen({ onUnhandledRequest: 'bypass' }),
    close: () => server.close(),
    reset() {
      for (const q of Object.values(queues)) q.length = 0;
      requests.length = 0;
      server.resetHandlers();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

type Render = (reply: MockReply, request: RecordedRequest, signal: AbortSignal, nextId: () => string) => Response;

const isError = (r: MockReply): r is MockError => 'status' in r;
const isHang = (r: MockReply): r is MockHang => 'hang' in r;

/** "Hello there world" -> ["Hello ", "there ", "world"]: one delta per word. */
const words = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);

function usageOf(answer: MockAnswer): Required<MockUsage> {
  const u = answer.usage;
  return { input: u?.input ?? 10, output: u?.output ?? words(answer.text ?? '').length + (answer.toolCalls?.length ?? 0), cached: u?.cached ?? 0 };
}
const stopOf = (answer: MockAnswer): MockStopReason => answer.stopReason ?? (answer.toolCalls?.length ? 'tool_use' : 'end');

/** Splits a JSON text into three fragments, as providers stream tool arguments. */
function fragments(json: string): string[] {
  const third = Math.ceil(json.length / 3);
  return [json.slice(0, third), json.slice(third, 2 * third), json.slice(2 * third)].filter(Boolean);
}

const encoder = new TextEncoder();

/**
 * An SSE body written frame by frame, yielding to the event loop between frames so the client
 * really sees a stream. `hang` leaves it open after the frames until the request is aborted,
 * then errors it the way a dropped fetch body does.
 */
function sse(frames: string[], signal: AbortSignal, hang = false): HttpResponse<ReadableStream> {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = async () => {
        for (const frame of frames) {
          if (cancelled || signal.aborted) break;
          controller.enqueue(encoder.encode(frame));
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (cancelled) return;
        if (hang || signal.aborted) {
          if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          if (!cancelled) controller.error(signal.reason);
          return;
        }
        controller.close();
      };
      // Not awaited: start() must return for the client to see the first frames. A client that
      // went away mid-write makes enqueue throw; nobody is listening then.
      write().catch(() => undefined);
    },
    cancel() {
      cancelled = true;
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages API

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 529: 'overloaded_error',
};
const ANTHROPIC_STOP: Record<MockStopReason, string> = { end: 'end_turn', tool_use: 'tool_use', max_tokens: 'max_tokens' };

/** One Anthropic SSE frame: the event name is repeated as the data's `type`. */
const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function anthropic(reply: MockReply, req: RecordedRequest, signal: AbortSignal, nextId: () => string): Response {
  const requestId = `req_mock_${nextId()}`;
  if (isError(reply)) {
    const type = ANTHROPIC_ERROR_TYPES[reply.status] ?? (reply.status >= 500 ? 'api_error' : 'invalid_request_error');
    return HttpResponse.json(
      { type: 'error', error: { type, message: reply.message ?? defaultErrorMessage(reply.status) }, request_id: requestId },
      { status: reply.status, headers: { 'request-id': requestId } },
    );
  }
  const answer: MockAnswer = isHang(reply) ? { text: reply.text ?? 'Let me think' } : reply;
  const usage = usageOf(answer);
  const model = String(req.body.model ?? 'claude-mock');
  const calls = (answer.toolCalls ?? []).map((c) => ({ ...c, id: c.id ?? `toolu_mock_${nextId()}` }));
  const startUsage = { input_tokens: usage.input - usage.cached, cache_creation_input_tokens: 0, cache_read_input_tokens: usage.cached, output_tokens: 1 };
  const message = { id: `msg_mock_${nextId()}`, type: 'message', role: 'assistant', model, stop_sequence: null };

  if (!req.streamed) {
    const content = [
      ...(answer.text ? [{ type: 'text', text: answer.text }] : []),
      ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments })),
    ];
    return HttpResponse.json({ ...message, content, stop_reason: ANTHROPIC_STOP[stopOf(answer)], usage: { ...startUsage, output_tokens: usage.output } }, { headers: { 'request-id': requestId } });
  }

  const frames = [event('message_start', { message: { ...message, content: [], stop_reason: null, usage: startUsage } }), event('ping', {})];
  let index = 0;
  const parts = words(answer.text ?? '');
  if (parts.length) {
    frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    const shown = isHang(reply) ? parts.slice(0, 1) : parts;
    for (const text of shown) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    if (isHang(reply)) return sse(frames, signal, true);
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  for (const call of calls) {
    frames.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }));
    // The API opens every tool input with an empty fragment.
    for (const partial_json of ['', ...fragments(JSON.stringify(call.arguments))]) {
      frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
    }
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  frames.push(
    event('message_delta', { delta: { stop_reason: ANTHROPIC_STOP[stopOf(answer)], stop_sequence: null }, usage: { output_tokens: usage.output } }),
    event('message_stop', {}),
  );
  return sse(frames, signal);
}

// ---------------------------------------------------------------------------------------------
// OpenAI Chat Completions (and compatible servers)

const OPENAI_FINISH: Record<MockStopReason, string> = { end: 'stop', tool_use: 'tool_calls', max_tokens: 'length' };

function openai(reply: MockReply, req: RecordedRequest, signal: AbortSignal, nextId: () => string): Response {
  if (isError(reply)) {
    const key = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const [type, code] =
      reply.status === 429 ? ['requests', 'rate_limit_exceeded']
      : reply.status === 401 ? ['invalid_request_error', 'invalid_api_key']
      : reply.status >= 500 ? ['server_error', null]
      : ['invalid_request_error', null];
    // Like the real API, a 401 names the (masked) key it was given.
    const message = reply.message ?? (reply.status === 401 ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.` : defaultErrorMessage(reply.status));
    return HttpResponse.json({ error: { message, type, param: null, code } }, { status: reply.status, headers: { 'x-request-id': `req_mock_${nextId()}` } });
  }
  const answer: MockAnswer = isHang(reply) ? { text: reply.text ?? 'Let me think' } : reply;
  const usage = usageOf(answer);
  const wireUsage = {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const calls = (answer.toolCalls ?? []).map((c) => ({ ...c, id: c.id ?? `call_mock_${nextId()}` }));
  const head = { id: `chatcmpl-mock${nextId()}`, created: Math.floor(Date.now() / 1000), model: String(req.body.model ?? 'gpt-mock'), system_fingerprint: 'fp_mock' };
  const finish = OPENAI_FINISH[stopOf(answer)];

  if (!req.streamed) {
    const message = {
      role: 'assistant',
      content: answer.text ?? null,
      refusal: null,
      ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : {}),
    };
    return HttpResponse.json({ ...head, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage: wireUsage });
  }

  const includeUsage = req.body.stream_options?.include_usage === true;
  const chunk = (delta: object, finish_reason: string | null = null) =>
    `data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason }], ...(includeUsage ? { usage: null } : {}) })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
  const parts = words(answer.text ?? '');
  for (const content of isHang(reply) ? parts.slice(0, 1) : parts) frames.push(chunk({ content }));
  if (isHang(reply)) return sse(frames, signal, true);
  calls.forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const args of fragments(JSON.stringify(call.arguments))) frames.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
  });
  frames.push(chunk({}, finish));
  if (includeUsage) frames.push(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [], usage: wireUsage })}\n\n`);
  frames.push('data: [DONE]\n\n');
  return sse(frames, signal);
}

function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '****';
}

// ---------------------------------------------------------------------------------------------
// Gemini API (generativelanguage.googleapis.com)

const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};
const GEMINI_FINISH: Record<MockStopReason, string> = { end: 'STOP', tool_use: 'STOP', max_tokens: 'MAX_TOKENS' };
/** Gemini returns an opaque signature with each function call; clients must send it back. */
export const MOCK_THOUGHT_SIGNATURE = 'bW9jay10aG91Z2h0LXNpZ25hdHVyZQ==';

function gemini(reply: MockReply, req: RecordedRequest, model: string, signal: AbortSignal): Response {
  if (isError(reply)) {
    return HttpResponse.json(
      { error: { code: reply.status, message: reply.message ?? defaultErrorMessage(reply.status), status: GEMINI_STATUS[reply.status] ?? 'UNKNOWN' } },
      { status: reply.status },
    );
  }
  const answer: MockAnswer = isHang(reply) ? { text: reply.text ?? 'Let me think' } : reply;
  const usage = usageOf(answer);
  const usageMetadata = {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output,
    ...(usage.cached ? { cachedContentTokenCount: usage.cached } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.input }],
  };
  const callParts = (answer.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: c.arguments }, thoughtSignature: MOCK_THOUGHT_SIGNATURE }));
  const head = { modelVersion: model, responseId: `mock-${Date.now().toString(36)}` };
  const finishReason = GEMINI_FINISH[stopOf(answer)];

  if (!req.streamed) {
    const parts = [...(answer.text ? [{ text: answer.text }] : []), ...callParts];
    return HttpResponse.json({ candidates: [{ content: { parts, role: 'model' }, finishReason, index: 0 }], usageMetadata, ...head });
  }

  // Every chunk carries the running usage; the last one adds the finish reason. No terminator.
  const chunk = (parts: object[], last = false) => {
    const candidate = { content: { parts, role: 'model' }, ...(last ? { finishReason } : {}), index: 0 };
    const runningUsage = last ? usageMetadata : { promptTokenCount: usage.input, totalTokenCount: usage.input };
    return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata: runningUsage, ...head })}\r\n\r\n`;
  };
  const texts = words(answer.text ?? '');
  if (isHang(reply)) return sse([chunk([{ text: texts[0] ?? '' }])], signal, true);
  const frames = texts.map((text) => chunk([{ text }]));
  frames.push(chunk(callParts.length ? callParts : [{ text: '' }], true));
  return sse(frames, signal);
}

function defaultErrorMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests';
  if (status === 401) return 'invalid x-api-key';
  if (status === 403) return 'Permission denied';
  if (status >= 500) return 'The server had an error while processing your request';
  return 'Invalid request';
}
