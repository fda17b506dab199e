import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { llmMock, MOCK_THOUGHT_SIGNATURE } from '../../../test/support/llm-mocks.ts';
import { ProviderError, type ChatRequest, type StreamEvent } from '../types.ts';
import { geminiProvider } from './gemini.ts';

const llm = llmMock();
beforeAll(() => llm.listen());
afterEach(() => llm.reset());
afterAll(() => llm.close());

const API_KEY = 'AIzaSyTest-Key_0123456789abcdefghijk';
const creds = { apiKey: API_KEY };
const base: ChatRequest = { model: 'gemini-2.5-flash', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256, temperature: 0.5 };
const searchTool = { name: 'search', description: 'Searches the web', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } };

async function collect(request: ChatRequest = base): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of geminiProvider.stream(request, creds)) events.push(event);
  return events;
}

async function failure(request: ChatRequest = base): Promise<ProviderError> {
  const err = await collect(request).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const error = err as ProviderError;
  expect(error.provider).toBe('gemini');
  expect(error.message).not.toContain(API_KEY);
  return error;
}

describe('geminiProvider', () => {
  it('streams text in several deltas, then usage and stop', async () => {
    llm.gemini.reply({ text: 'Hello there, how are you?', usage: { input: 120, output: 7, cached: 32 } });
    const events = await collect();

    const deltas = events.filter((e) => e.type === 'text');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.delta).join('')).toBe('Hello there, how are you?');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 120, cachedInputTokens: 32, outputTokens: 7 } },
      { type: 'stop', reason: 'end' },
    ]);

    const [sent] = llm.requests;
    expect(sent!.url).toMatch(/^https:\/\/generativelanguage\.googleapis\.com\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
    expect(sent!.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent!.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 256, temperature: 0.5 },
    });
  });

  it('emits function calls with unique ids and sends results back as functionResponse parts', async () => {
    llm.gemini.reply({ toolCalls: [{ name: 'search', arguments: { q: 'weather in Paris' } }, { name: 'search', arguments: { q: 'weather in Rome' } }] });
    const first = await collect({ ...base, tools: [searchTool] });
    const calls = first.filter((e) => e.type === 'tool_call').map((e) => e.call);
    expect(calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{8}_0_search$/), name: 'search', arguments: { q: 'weather in Paris' }, providerData: { thoughtSignature: MOCK_THOUGHT_SIGNATURE } },
      { id: expect.stringMatching(/^call_[0-9a-f]{8}_1_search$/), name: 'search', arguments: { q: 'weather in Rome' }, providerData: { thoughtSignature: MOCK_THOUGHT_SIGNATURE } },
    ]);
    expect(first.at(-1)).toEqual({ type: 'stop', reason: 'tool_use' });
    expect(llm.requests[0]!.body.tools).toEqual([{ functionDeclarations: [{ name: 'search', description: 'Searches the web', parametersJsonSchema: searchTool.inputSchema }] }]);

    // A second response gets different ids: a conversation may fail over to a provider that
    // rejects repeated ids.
    llm.gemini.reply({ toolCalls: [{ name: 'search', arguments: { q: 'x' } }] });
    const again = (await collect({ ...base, tools: [searchTool] })).find((e) => e.type === 'tool_call');
    expect(again).toMatchObject({ call: { id: expect.not.stringMatching(calls[0]!.id) } });

    llm.gemini.reply({ text: 'Sunny in both.' });
    await collect({
      ...base,
      messages: [
        ...base.messages,
        { role: 'assistant', content: 'Let me check.', toolCalls: calls },
        { role: 'tool', toolCallId: calls[0]!.id, name: 'search', content: 'Sunny, 21 C' },
        { role: 'tool', toolCallId: calls[1]!.id, name: 'search', content: 'quota exceeded', isError: true },
      ],
    });
    expect(llm.requests[2]!.body.contents.slice(1)).toEqual([
      { role: 'model', parts: [
        { text: 'Let me check.' },
        // The thought signature Gemini sent with each call goes back with it.
        { functionCall: { name: 'search', args: { q: 'weather in Paris' } }, thoughtSignature: MOCK_THOUGHT_SIGNATURE },
        { functionCall: { name: 'search', args: { q: 'weather in Rome' } }, thoughtSignature: MOCK_THOUGHT_SIGNATURE },
      ] },
      { role: 'user', parts: [
        { functionResponse: { name: 'search', response: { output: 'Sunny, 21 C' } } },
        { functionResponse: { name: 'search', response: { error: 'quota exceeded' } } },
      ] },
    ]);
  });

  it('maps MAX_TOKENS', async () => {
    llm.gemini.reply({ text: 'Cut off', stopReason: 'max_tokens' });
    expect((await collect()).at(-1)).toEqual({ type: 'stop', reason: 'max_tokens' });
  });

  it('classifies 429 as retryable rate_limit with the message from the JSON body', async () => {
    llm.gemini.reply({ status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true });
    expect(err.message).toBe('Gemini returned 429: Resource has been exhausted (e.g. check quota).');
    expect(llm.requests).toHaveLength(1); // the SDK did not retry
  });

  it('classifies 500 and 503 as server', async () => {
    llm.gemini.reply({ status: 500 }).reply({ status: 503, message: 'The model is overloaded.' });
    expect(await failure()).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(await failure()).toMatchObject({ kind: 'server', status: 503, retryable: true });
  });

  it('classifies 401, and the 400 Gemini really sends for a bad key, as auth', async () => {
    llm.gemini.reply({ status: 401 }).reply({ status: 400, message: `API key not valid. Please pass a valid API key. (${API_KEY})` });
    expect(await failure()).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 400, retryable: false });
    expect(err.message).toContain('[redacted]');
  });

  it('aborts promptly mid-stream', async () => {
    llm.gemini.reply({ hang: true, text: 'Thinking hard' });
    const controller = new AbortController();
    const started = Date.now();
    const seen: StreamEvent[] = [];
    const err = await (async () => {
      for await (const event of geminiProvider.stream({ ...base, signal: controller.signal }, creds)) {
        seen.push(event);
        controller.abort();
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(seen).toEqual([{ type: 'text', delta: 'Thinking ' }]);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'aborted', retryable: false });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(llm.requests).toHaveLength(1); // no automatic continuation re-sent it
  });

  it('stops the HTTP request when the consumer stops reading', async () => {
    llm.gemini.reply({ hang: true });
    const seen: StreamEvent[] = [];
    for await (const event of geminiProvider.stream(base, creds)) {
      seen.push(event);
      break; // must not wait for the (never ending) rest of the stream
    }
    expect(seen).toEqual([{ type: 'text', delta: 'Let ' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(llm.requests[0]!.aborted).toBe(true);
  });

  it('reports a fired timeout signal as timeout', async () => {
    llm.gemini.reply({ hang: true });
    expect(await failure({ ...base, signal: AbortSignal.timeout(200) })).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('uses a configured base URL', async () => {
    llm.gemini.reply({ text: 'Proxied.' });
    const events: StreamEvent[] = [];
    for await (const e of geminiProvider.stream(base, { apiKey: API_KEY, baseUrl: 'http://gemini-proxy.local:8080' })) events.push(e);
    expect(events.at(-1)).toEqual({ type: 'stop', reason: 'end' });
    expect(llm.requests[0]!.url).toMatch(/^http:\/\/gemini-proxy\.local:8080\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent/);
  });
});
