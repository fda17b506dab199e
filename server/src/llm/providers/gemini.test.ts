import { describe, expect, it } from 'vitest';
import { MOCK_THOUGHT_SIGNATURE } from '../../../test/support/llm-mocks.ts';
import { providerContract, providerTestKit, searchTool } from '../../../test/support/provider-test-kit.ts';
import type { ChatRequest } from '../types.ts';
import { geminiProvider } from './gemini.ts';

const API_KEY = 'AIzaSyTest-Key_0123456789abcdefghijk';
const base: ChatRequest = { model: 'gemini-2.5-flash', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 256, temperature: 0.5 };
const kit = providerTestKit({ provider: geminiProvider, mock: 'gemini', label: 'Gemini', apiKey: API_KEY, base });
const { llm, collect, failure } = kit;

describe('geminiProvider', () => {
  providerContract(kit, {
    cachedTokens: 32,
    textRequest: {
      url: /^https:\/\/generativelanguage\.googleapis\.com\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/,
      headers: { 'x-goog-api-key': API_KEY },
      body: {
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
        generationConfig: { maxOutputTokens: 256, temperature: 0.5 },
      },
    },
    rateLimitMessage: 'Resource has been exhausted (e.g. check quota).',
    serverError: { status: 503, message: 'The model is overloaded.' },
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

  it('classifies 401, and the 400 Gemini really sends for a bad key, as auth', async () => {
    llm.gemini.reply({ status: 401 }).reply({ status: 400, message: `API key not valid. Please pass a valid API key. (${API_KEY})` });
    expect(await failure()).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'auth', status: 400, retryable: false });
    expect(err.message).toContain('[redacted]');
  });

  it('uses a configured base URL', async () => {
    llm.gemini.reply({ text: 'Proxied.' });
    const events = await collect(base, geminiProvider, { apiKey: API_KEY, baseUrl: 'http://gemini-proxy.local:8080' });
    expect(events.at(-1)).toEqual({ type: 'stop', reason: 'end' });
    expect(llm.requests[0]!.url).toMatch(/^http:\/\/gemini-proxy\.local:8080\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent/);
  });
});
