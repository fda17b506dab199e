import { http, HttpResponse, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import { providerContract, providerTestKit, rejection, searchTool } from '../../../test/support/provider-test-kit.ts';
import type { ChatRequest } from '../types.ts';
import { openaiCompatibleProvider, openaiProvider } from './openai.ts';

const API_KEY = 'sk-proj-test-key-0123456789abcdefghij';
const base: ChatRequest = { model: 'gpt-5-mini', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256, temperature: 0.2 };
const kit = providerTestKit({ provider: openaiProvider, mock: 'openai', label: 'OpenAI', apiKey: API_KEY, base });
const { llm, collect, failure } = kit;

/** One chat.completion.chunk SSE frame, for hand-made malformed streams. */
const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('openaiProvider', () => {
  providerContract(kit, {
    cachedTokens: 64,
    textRequest: {
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: {
        model: 'gpt-5-mini',
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
        temperature: 0.2,
        max_completion_tokens: 256,
        stream: true,
        stream_options: { include_usage: true },
      },
    },
    rateLimitMessage: 'Rate limit reached for gpt-5-mini',
    serverError: { status: 503 },
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
    llm.server.use(http.post('*/chat/completions', () => new HttpResponse(chunk({ content: 'Hel' }), { headers: { 'content-type': 'text/event-stream' } })));
    expect(await failure()).toMatchObject({ kind: 'connection', retryable: true });
  });

  it('classifies 401 as auth, not retryable; the key the API echoes is redacted', async () => {
    llm.openai.reply({ status: 401 }); // the mock names the (masked) key, as OpenAI does
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(err.message).toMatch(/^OpenAI returned 401: Incorrect API key provided: \[redacted\]/);
    expect(err.message).not.toContain(API_KEY.slice(0, 8));
  });

  it('reports an unreachable server as connection', async () => {
    // Let this one request through to the real network: nothing listens on port 9.
    llm.server.use(http.post('http://127.0.0.1:9/*', () => passthrough()));
    const err = await rejection(collect(base, openaiCompatibleProvider, { apiKey: 'x', baseUrl: 'http://127.0.0.1:9/v1' }));
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
    const err = await rejection(collect(base, openaiCompatibleProvider, { apiKey: 'x' }));
    expect(err).toMatchObject({ kind: 'bad_request', provider: 'openai_compatible' });
    expect(llm.requests).toHaveLength(0);
  });

  it('names the endpoint in its errors', async () => {
    llm.openai.reply({ status: 500, message: 'model not loaded' });
    const err = await rejection(collect(base, openaiCompatibleProvider, { apiKey: 'x', baseUrl: 'http://llm.local:11434/v1' }));
    expect(err).toMatchObject({ kind: 'server', message: 'The OpenAI-compatible endpoint returned 500: model not loaded' });
  });
});
