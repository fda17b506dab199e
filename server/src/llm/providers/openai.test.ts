import { http, HttpResponse, passthrough } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { llmMock } from '../../../test/support/llm-mocks.ts';
import { ProviderError, type ChatRequest, type LlmProvider, type ProviderCredentials, type StreamEvent } from '../types.ts';
import { openaiCompatibleProvider, openaiProvider } from './openai.ts';

const llm = llmMock();
beforeAll(() => llm.listen());
afterEach(() => llm.reset());
afterAll(() => llm.close());

const API_KEY = 'sk-proj-test-key-0123456789abcdefghij';
const creds: ProviderCredentials = { apiKey: API_KEY };
const base: ChatRequest = { model: 'gpt-5-mini', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256, temperature: 0.2 };
const searchTool = { name: 'search', description: 'Searches the web', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } };

async function collect(request: ChatRequest = base, provider: LlmProvider = openaiProvider, credentials = creds): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of provider.stream(request, credentials)) events.push(event);
  return events;
}

async function failure(request: ChatRequest = base): Promise<ProviderError> {
  const err = await collect(request).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const error = err as ProviderError;
  expect(error.provider).toBe('openai');
  expect(error.message).not.toContain(API_KEY);
  return error;
}

/** One chat.completion.chunk SSE frame, for hand-made malformed streams. */
const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('openaiProvider', () => {
  it('streams text in several deltas, then usage and stop', async () => {
    llm.openai.reply({ text: 'Hello there, how are you?', usage: { input: 120, output: 7, cached: 64 } });
    const events = await collect();

    const deltas = events.filter((e) => e.type === 'text');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.delta).join('')).toBe('Hello there, how are you?');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 120, cachedInputTokens: 64, outputTokens: 7 } },
      { type: 'stop', reason: 'end' },
    ]);

    const [sent] = llm.requests;
    expect(sent!.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(sent!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent!.body).toEqual({
      model: 'gpt-5-mini',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      temperature: 0.2,
      max_completion_tokens: 256,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('assembles tool-call argument fragments and sends the tool result back as a tool message', async () => {
    llm.openai.reply({ toolCalls: [{ name: 'search', arguments: { q: 'weather in Paris' } }, { name: 'search', arguments: { q: 'weather in Rome' } }] });
    const first = await collect({ ...base, tools: [searchTool] });
    const calls = first.filter((e) => e.type === 'tool_call').map((e) => e.call);
    expect(calls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'search', arguments: { q: 'weather in Paris' } },
      { id: expect.stringMatching(/^call_/), name: 'search', arguments: { q: 'weather in Rome' } },
    ]);
    expect(first.at(-1)).toEqual({ type: 'stop', reason: 'tool_use' });
    expect(llm.requests[0]!.body.tools).toEqual([{ type: 'function', function: { name: 'search', description: 'Searches the web', parameters: searchTool.inputSchema } }]);

    llm.openai.reply({ text: 'Sunny in both.' });
    await collect({
      ...base,
      messages: [
        ...base.messages,
        { role: 'assistant', content: '', toolCalls: calls },
        { role: 'tool', toolCallId: calls[0]!.id, name: 'search', content: 'Sunny, 21 C' },
        { role: 'tool', toolCallId: calls[1]!.id, name: 'search', content: 'quota exceeded', isError: true },
      ],
    });
    expect(llm.requests[1]!.body.messages.slice(2)).toEqual([
      { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: 'search', arguments: JSON.stringify(c.arguments) } })) },
      { role: 'tool', tool_call_id: calls[0]!.id, content: 'Sunny, 21 C' },
      { role: 'tool', tool_call_id: calls[1]!.id, content: 'Error: quota exceeded' },
    ]);
  });

  it('rejects tool arguments that are not JSON', async () => {
    llm.server.use(http.post('*/chat/completions', () => {
      const body = chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q": "unterminated' } }] }) + chunk({}, 'tool_calls') + 'data: [DONE]\n\n';
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
    }));
    const err = await failure();
    expect(err).toMatchObject({ kind: 'bad_request' });
    expect(err.message).toMatch(/invalid tool arguments/);
  });

  it('treats a stream that stops before a finish reason as a connection failure', async () => {
    llm.server.use(http.post('*/chat/completions', () => new HttpResponse(
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] })}\n\n`,
      { headers: { 'content-type': 'text/event-stream' } },
    )));
    expect(await failure()).toMatchObject({ kind: 'connection', retryable: true });
  });

  it('classifies 429 as retryable rate_limit with the provider message', async () => {
    llm.openai.reply({ status: 429, message: 'Rate limit reached for gpt-5-mini' });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true });
    expect(err.message).toBe('OpenAI returned 429: Rate limit reached for gpt-5-mini');
  });

  it('classifies 500 and 503 as server', async () => {
    llm.openai.reply({ status: 500 }).reply({ status: 503 });
    expect(await failure()).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(await failure()).toMatchObject({ kind: 'server', status: 503, retryable: true });
  });

  it('classifies 401 as auth, not retryable; the key the API echoes is redacted', async () => {
    llm.openai.reply({ status: 401 }); // the mock names the (masked) key, as OpenAI does
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(err.message).toMatch(/^OpenAI returned 401: Incorrect API key provided: \[redacted\]/);
    expect(err.message).not.toContain(API_KEY.slice(0, 8));
  });

  it('aborts promptly mid-stream', async () => {
    llm.openai.reply({ hang: true, text: 'Thinking hard' });
    const controller = new AbortController();
    const started = Date.now();
    const seen: StreamEvent[] = [];
    const err = await (async () => {
      for await (const event of openaiProvider.stream({ ...base, signal: controller.signal }, creds)) {
        seen.push(event);
        controller.abort();
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(seen).toEqual([{ type: 'text', delta: 'Thinking ' }]);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'aborted', retryable: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops the HTTP stream when the consumer stops reading', async () => {
    llm.openai.reply({ hang: true });
    const started = Date.now();
    const seen: StreamEvent[] = [];
    for await (const event of openaiProvider.stream(base, creds)) {
      seen.push(event);
      break; // must not wait for the (never ending) rest of the stream
    }
    expect(seen).toEqual([{ type: 'text', delta: 'Let ' }]);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(llm.requests[0]!.aborted).toBe(true);
  });

  it('reports a fired timeout signal as timeout', async () => {
    llm.openai.reply({ hang: true });
    expect(await failure({ ...base, signal: AbortSignal.timeout(200) })).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('reports an unreachable server as connection', async () => {
    // Let this one request through to the real network: nothing listens on port 9.
    llm.server.use(http.post('http://127.0.0.1:9/*', () => passthrough()));
    const err = await collect(base, openaiCompatibleProvider, { apiKey: 'x', baseUrl: 'http://127.0.0.1:9/v1' }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ kind: 'connection', provider: 'openai_compatible', retryable: true });
  });
});

describe('openaiCompatibleProvider', () => {
  it('calls the configured base URL, with any key, sending max_tokens', async () => {
    llm.openai.reply({ text: 'Local answer here.' });
    const events = await collect({ ...base, model: 'llama3.2' }, openaiCompatibleProvider, { apiKey: 'not-needed', baseUrl: 'http://llm.local:11434/v1' });
    expect(events.filter((e) => e.type === 'text').map((e) => e.delta).join('')).toBe('Local answer here.');
    expect(events.at(-1)).toEqual({ type: 'stop', reason: 'end' });

    const [sent] = llm.requests;
    expect(sent!.url).toBe('http://llm.local:11434/v1/chat/completions');
    expect(sent!.headers.authorization).toBe('Bearer not-needed');
    expect(sent!.body).toMatchObject({ model: 'llama3.2', max_tokens: 256 });
    expect(sent!.body).not.toHaveProperty('max_completion_tokens');
  });

  it('needs a base URL', async () => {
    const err = await collect(base, openaiCompatibleProvider, { apiKey: 'x' }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_request', provider: 'openai_compatible' });
    expect(llm.requests).toHaveLength(0);
  });

  it('names the endpoint in its errors', async () => {
    llm.openai.reply({ status: 500, message: 'model not loaded' });
    const err = await collect(base, openaiCompatibleProvider, { apiKey: 'x', baseUrl: 'http://llm.local:11434/v1' }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ kind: 'server', message: 'The OpenAI-compatible endpoint returned 500: model not loaded' });
  });
});
