import { describe, expect, it } from 'vitest';
import { providerContract, providerTestKit, searchTool } from '../../../test/support/provider-test-kit.ts';
import type { ChatRequest, StreamEvent } from '../types.ts';
import { anthropicProvider } from './anthropic.ts';

const API_KEY = 'sk-ant-api03-test-key-0123456789abcdef';
const base: ChatRequest = { model: 'claude-haiku-4-5', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256 };
const kit = providerTestKit({ provider: anthropicProvider, mock: 'anthropic', label: 'Anthropic', apiKey: API_KEY, base });
const { llm, collect, failure } = kit;

describe('anthropicProvider', () => {
  providerContract(kit, {
    cachedTokens: 100,
    textRequest: {
      url: 'https://api.anthropic.com/v1/messages',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { model: 'claude-haiku-4-5', system: 'Be brief.', max_tokens: 256, stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] },
      partial: true,
    },
    rateLimitMessage: 'Number of request tokens has exceeded your per-minute rate limit',
    serverError: { status: 529, message: 'Overloaded' },
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

  it('classifies 401 as auth, not retryable, and never echoes the key', async () => {
    llm.anthropic.reply({ status: 401, message: `invalid x-api-key ${API_KEY}` });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(err.message).toContain('[redacted]');
  });
});
