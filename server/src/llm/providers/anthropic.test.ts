import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { llmMock } from '../../../test/support/llm-mocks.ts';
import { ProviderError, type ChatRequest, type StreamEvent } from '../types.ts';
import { anthropicProvider } from './anthropic.ts';

const llm = llmMock();
beforeAll(() => llm.listen());
afterEach(() => llm.reset());
afterAll(() => llm.close());

const API_KEY = 'sk-ant-api03-test-key-0123456789abcdef';
const creds = { apiKey: API_KEY };
const base: ChatRequest = { model: 'claude-haiku-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256 };
const searchTool = { name: 'search', description: 'Searches the web', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } };

async function collect(request: ChatRequest = base): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of anthropicProvider.stream(request, creds)) events.push(event);
  return events;
}

async function failure(request: ChatRequest = base): Promise<ProviderError> {
  const err = await collect(request).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  const error = err as ProviderError;
  expect(error.provider).toBe('anthropic');
  expect(error.message).not.toContain(API_KEY);
  return error;
}

describe('anthropicProvider', () => {
  it('streams text in several deltas, then usage (cache reads included in input) and stop', async () => {
    llm.anthropic.reply({ text: 'Hello there, how are you?', usage: { input: 120, output: 7, cached: 100 } });
    const events = await collect();

    const deltas = events.filter((e) => e.type === 'text');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.delta).join('')).toBe('Hello there, how are you?');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 120, cachedInputTokens: 100, outputTokens: 7 } },
      { type: 'stop', reason: 'end' },
    ]);

    const [sent] = llm.requests;
    expect(sent!.url).toBe('https://api.anthropic.com/v1/messages');
    expect(sent!.body).toMatchObject({ model: 'claude-haiku-4-5', system: 'Be brief.', max_tokens: 256, stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(sent!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('assembles a streamed tool call and sends the tool result back as a tool_result block', async () => {
    llm.anthropic.reply({ text: 'Searching.', toolCalls: [{ name: 'search', arguments: { q: 'weather in Paris' } }] });
    const first = await collect({ ...base, tools: [searchTool] });
    const call = first.find((e) => e.type === 'tool_call');
    expect(call).toEqual({ type: 'tool_call', call: { id: expect.stringMatching(/^toolu_/), name: 'search', arguments: { q: 'weather in Paris' } } });
    expect(first.at(-1)).toEqual({ type: 'stop', reason: 'tool_use' });
    expect(llm.requests[0]!.body.tools).toEqual([{ name: 'search', description: 'Searches the web', input_schema: searchTool.inputSchema }]);

    const { id } = (call as Extract<StreamEvent, { type: 'tool_call' }>).call;
    llm.anthropic.reply({ text: 'It is sunny.' });
    await collect({
      ...base,
      tools: [searchTool],
      messages: [
        ...base.messages,
        { role: 'assistant', content: '', toolCalls: [{ id, name: 'search', arguments: { q: 'weather in Paris' } }] },
        { role: 'tool', toolCallId: id, name: 'search', content: 'Sunny, 21 C' },
        { role: 'tool', toolCallId: 'toolu_other', name: 'search', content: 'quota exceeded', isError: true },
      ],
    });
    expect(llm.requests[1]!.body.messages.slice(1)).toEqual([
      // No empty text block: the API rejects those.
      { role: 'assistant', content: [{ type: 'tool_use', id, name: 'search', input: { q: 'weather in Paris' } }] },
      // Consecutive tool results travel in one user message.
      { role: 'user', content: [
        { type: 'tool_result', tool_use_id: id, content: 'Sunny, 21 C' },
        { type: 'tool_result', tool_use_id: 'toolu_other', content: 'quota exceeded', is_error: true },
      ] },
    ]);
  });

  it('a tool call without arguments gets {}', async () => {
    llm.anthropic.reply({ toolCalls: [{ name: 'now', arguments: {} }] });
    const events = await collect();
    expect(events.find((e) => e.type === 'tool_call')).toMatchObject({ call: { name: 'now', arguments: {} } });
  });

  it('classifies 429 as retryable rate_limit', async () => {
    llm.anthropic.reply({ status: 429, message: 'Number of request tokens has exceeded your per-minute rate limit' });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true });
    expect(err.message).toBe('Anthropic returned 429: Number of request tokens has exceeded your per-minute rate limit');
  });

  it('classifies 500 and 529 (overloaded) as server', async () => {
    llm.anthropic.reply({ status: 500 }).reply({ status: 529, message: 'Overloaded' });
    expect(await failure()).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(await failure()).toMatchObject({ kind: 'server', status: 529, retryable: true });
  });

  it('classifies 401 as auth, not retryable, and never echoes the key', async () => {
    llm.anthropic.reply({ status: 401, message: `invalid x-api-key ${API_KEY}` });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(err.message).toContain('[redacted]');
  });

  it('aborts promptly mid-stream', async () => {
    llm.anthropic.reply({ hang: true, text: 'Thinking hard' });
    const controller = new AbortController();
    const started = Date.now();
    const seen: StreamEvent[] = [];
    const err = await (async () => {
      for await (const event of anthropicProvider.stream({ ...base, signal: controller.signal }, creds)) {
        seen.push(event);
        controller.abort();
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(seen).toEqual([{ type: 'text', delta: 'Thinking ' }]);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'aborted', retryable: false });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops the HTTP request when the consumer stops reading', async () => {
    llm.anthropic.reply({ hang: true });
    const seen: StreamEvent[] = [];
    for await (const event of anthropicProvider.stream(base, creds)) {
      seen.push(event);
      break; // must not wait for the (never ending) rest of the stream
    }
    expect(seen).toEqual([{ type: 'text', delta: 'Let ' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(llm.requests[0]!.aborted).toBe(true);
  });

  it('reports a fired timeout signal as timeout', async () => {
    llm.anthropic.reply({ hang: true });
    const err = await failure({ ...base, signal: AbortSignal.timeout(200) });
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('reports a missing key as auth without calling the API', async () => {
    const err = await anthropicProvider.stream(base, { apiKey: '' })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth' });
    expect(llm.requests).toHaveLength(0);
  });
});
