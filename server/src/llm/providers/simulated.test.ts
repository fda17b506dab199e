import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { PackedPlugin } from '@agentflow/plugin-sdk';
import { ProviderError, type ChatMessage, type ChatRequest, type StreamEvent, type ToolCall } from '../types.ts';
import { simulatedProvider } from './simulated.ts';

/** The built-in tools, as the core plugin declares them. */
const TOOLS = (JSON.parse(readFileSync(new URL('../../../../plugins/core/dist/core.agentflow.json', import.meta.url), 'utf8')) as PackedPlugin)
  .manifest.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
const CREDENTIALS = { apiKey: 'ignored' };

const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'simulated', messages, maxOutputTokens: 1000, ...extra });
const user = (content: string): ChatMessage => ({ role: 'user', content });

async function collect(req: ChatRequest): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const e of simulatedProvider.stream(req, CREDENTIALS)) events.push(e);
  return events;
}

/** The streamed text, tool calls and the trailing usage/stop of one call. */
async function run(req: ChatRequest) {
  const events = await collect(req);
  const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
  const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
  // Exactly one usage then one stop, at the end.
  expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'stop')).toHaveLength(1);
  expect(events.at(-2)?.type).toBe('usage');
  const usage = events.at(-2)?.type === 'usage' ? (events.at(-2) as Extract<StreamEvent, { type: 'usage' }>).usage : undefined;
  const stop = events.at(-1)?.type === 'stop' ? (events.at(-1) as Extract<StreamEvent, { type: 'stop' }>).reason : undefined;
  return { events, text, calls, usage, stop };
}

const toolResult = (call: ToolCall, content: string, isError = false): ChatMessage => ({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(isError ? { isError } : {}) });

describe('simulatedProvider', () => {
  it('has the id simulated', () => {
    expect(simulatedProvider.id).toBe('simulated');
  });

  it('holds a whole tool conversation: question, calculator call, result, answer', async () => {
    const messages: ChatMessage[] = [user('what is 6*7')];
    const first = await run(request(messages, { tools: TOOLS }));
    expect(first.stop).toBe('tool_use');
    expect(first.text).toBe('');
    expect(first.calls).toEqual([{ id: 'sim_call_1', name: 'calculator', arguments: { expression: '6*7' } }]);

    const call = first.calls[0]!;
    messages.push({ role: 'assistant', content: '', toolCalls: first.calls });
    messages.push(toolResult(call, JSON.stringify({ expression: '6*7', result: 42 })));

    const second = await run(request(messages, { tools: TOOLS }));
    expect(second.stop).toBe('end');
    expect(second.calls).toEqual([]);
    expect(second.text).toBe('The calculator says 6*7 = 42.');
    expect(second.text).toContain('42');
  });

  it('finds the arithmetic in a question', async () => {
    const { calls } = await run(request([user('Hi! what is 12 * (3 + 4)? thanks')], { tools: TOOLS }));
    expect(calls[0]?.arguments).toEqual({ expression: '12 * (3 + 4)' });
    const sqrt = await run(request([user('Compute sqrt(16) + 2 please.')], { tools: TOOLS }));
    expect(sqrt.calls[0]?.arguments).toEqual({ expression: 'sqrt(16) + 2' });
  });

  it('does not call the calculator for dates, plain numbers or when it is not offered', async () => {
    for (const text of ['The meeting is on 2024-01-15.', 'I have 3 apples', 'what is 6*7']) {
      const tools = text === 'what is 6*7' ? [] : TOOLS;
      const { calls, stop } = await run(request([user(text)], { tools }));
      expect(calls).toEqual([]);
      expect(stop).toBe('end');
    }
  });

  it('calls current_time for a time question, with a zone when one is named', async () => {
    expect((await run(request([user('What time is it?')], { tools: TOOLS }))).calls).toEqual([{ id: 'sim_call_1', name: 'current_time', arguments: {} }]);
    expect((await run(request([user('what time is it in Europe/Paris')], { tools: TOOLS }))).calls[0]?.arguments).toEqual({ timezone: 'Europe/Paris' });
    expect((await run(request([user("What's the time in Tokyo right now?")], { tools: TOOLS }))).calls[0]?.arguments).toEqual({ timezone: 'Asia/Tokyo' });
    expect((await run(request([user("What is today's date in New York?")], { tools: TOOLS }))).calls[0]?.arguments).toEqual({ timezone: 'America/New_York' });
  });

  it('summarises each kind of tool result readably', async () => {
    const calc: ToolCall = { id: 'sim_call_1', name: 'calculator', arguments: {} };
    const time: ToolCall = { id: 'sim_call_2', name: 'current_time', arguments: {} };
    const other: ToolCall = { id: 'sim_call_3', name: 'weather', arguments: {} };
    const messages: ChatMessage[] = [
      user('do things'),
      { role: 'assistant', content: '', toolCalls: [calc, time, other] },
      toolResult(calc, '{"expression":"2+2","result":4}'),
      toolResult(time, JSON.stringify({ timezone: 'UTC', iso: '2026-11-05T14:04:05Z', local: 'Thursday, November 5, 2026 at 2:04:05 PM UTC', weekday: 'Thursday', unixSeconds: 1 })),
      toolResult(other, '{"temp":21}'),
    ];
    const { text, stop } = await run(request(messages));
    expect(text).toBe('The calculator says 2+2 = 4. The current time in UTC is Thursday, November 5, 2026 at 2:04:05 PM UTC. weather returned {"temp":21}.');
    expect(stop).toBe('end');

    const failed = await run(request([user('x'), { role: 'assistant', content: '', toolCalls: [calc] }, toolResult(calc, 'Division by zero at position 2', true)]));
    expect(failed.text).toBe('The calculator tool failed: Division by zero at position 2');
  });

  describe('directives', () => {
    it('/tool calls the named tool with the JSON arguments', async () => {
      const { calls, stop } = await run(request([user('please\n/tool current_time {"timezone":"Asia/Tokyo"}\nthanks')], { tools: TOOLS }));
      expect(calls).toEqual([{ id: 'sim_call_1', name: 'current_time', arguments: { timezone: 'Asia/Tokyo' } }]);
      expect(stop).toBe('tool_use');
    });

    it('/tool lines make parallel calls, numbered after the earlier calls of the conversation', async () => {
      const earlier: ToolCall = { id: 'sim_call_1', name: 'calculator', arguments: { expression: '1+1' } };
      const messages: ChatMessage[] = [
        user('first'),
        { role: 'assistant', content: '', toolCalls: [earlier] },
        toolResult(earlier, '{"expression":"1+1","result":2}'),
        { role: 'assistant', content: 'The calculator says 1+1 = 2.' },
        user('/tool calculator {"expression":"2*3"}\n/tool current_time'),
      ];
      const { calls } = await run(request(messages, { tools: TOOLS }));
      expect(calls).toEqual([
        { id: 'sim_call_2', name: 'calculator', arguments: { expression: '2*3' } },
        { id: 'sim_call_3', name: 'current_time', arguments: {} },
      ]);
    });

    it('/tool for a tool that is not offered is ignored', async () => {
      const { calls, text } = await run(request([user('/tool calculator {"expression":"1+1"}')], { tools: [] }));
      expect(calls).toEqual([]);
      expect(text).toContain('Simulated reply');
    });

    it('/tool with arguments that are not a JSON object says so', async () => {
      const { text, calls } = await run(request([user('/tool calculator {oops}')], { tools: TOOLS }));
      expect(calls).toEqual([]);
      expect(text).toMatch(/^Simulated reply: the arguments of \/tool calculator are not a JSON object/);
      expect((await run(request([user('/tool calculator [1]')], { tools: TOOLS }))).text).toContain('not an object');
    });

    it('/reply answers exactly the text, even if it looks like arithmetic', async () => {
      expect((await run(request([user('/reply Hello, world!')]))).text).toBe('Hello, world!');
      expect((await run(request([user('ignore this\n/reply Line one\nline  two ')], { tools: TOOLS }))).text).toBe('Line one\nline  two ');
      expect((await run(request([user('/reply 2 + 2 = 5')], { tools: TOOLS }))).calls).toEqual([]);
    });
  });

  it('echoes otherwise, naming the role from the system prompt', async () => {
    expect((await run(request([user('Hello  there\nfriend')]))).text).toBe('Simulated reply: you said "Hello there friend".');
    const withRole = await run(request([user('hi')], { system: 'You are a support agent.\nBe brief.' }));
    expect(withRole.text).toBe('Simulated reply: you said "hi" (acting as: You are a support agent.).');
    expect((await run(request([]))).text).toBe('Simulated reply: there is no message to reply to.');
    const long = (await run(request([user('word '.repeat(100))]))).text;
    expect(long.length).toBeLessThan(260);
  });

  it('streams text in word chunks', async () => {
    const { events } = await run(request([user('/reply one two  three')]));
    expect(events.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.delta : ''))).toEqual(['one ', 'two  ', 'three']);
  });

  it('is deterministic', async () => {
    const req = request([user('what is 6*7 and the time in Europe/Berlin?')], { tools: TOOLS, system: 'Be helpful.' });
    expect(await collect(req)).toEqual(await collect(req));
  });

  it('estimates usage at four characters a token', async () => {
    const { usage } = await run(request([user('/reply abcdefgh')], { system: 'abcd' }));
    // Input: 4 + 15 characters; output: 8.
    expect(usage).toEqual({ inputTokens: 5, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('stops at maxOutputTokens with reason max_tokens', async () => {
    const { text, stop } = await run(request([user(`/reply ${'abcd '.repeat(20)}`)], { maxOutputTokens: 3 }));
    expect(text).toBe('abcd abcd ab');
    expect(stop).toBe('max_tokens');
  });

  it('throws ProviderError aborted when aborted before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await collect(request([user('hi')], { signal: controller.signal })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'aborted', provider: 'simulated', retryable: false });
  });

  it('throws ProviderError aborted when aborted mid-stream', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of simulatedProvider.stream(request([user(`/reply ${'word '.repeat(50)}`)], { signal: controller.signal }), CREDENTIALS)) {
        if (e.type === 'text') seen.push(e.delta);
        if (seen.length === 3) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('aborted');
    expect(seen).toHaveLength(3);
  });

  it('notices an abort that lands between chunks', async () => {
    const controller = new AbortController();
    const pending = collect(request([user(`/reply ${'word '.repeat(1000)}`)], { signal: controller.signal }));
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ name: 'ProviderError', kind: 'aborted' });
  });
});
