import { describe, expect, it } from 'vitest';
import type { AgentTestEvent, AgentTestSession, LlmCall } from '../api/agents.api';
import { chatHistory, emptyTranscript, transcriptReducer, type Transcript, type TranscriptAction, type TranscriptItem } from './chat-transcript';

const S = 'AgentTestSession:1';
const run = (actions: TranscriptAction[], from: Transcript = emptyTranscript) => actions.reduce(transcriptReducer, from);
const event = (e: AgentTestEvent): TranscriptAction => ({ type: 'event', event: e });
const delta = (seq: number, text: string) => event({ __typename: 'AgentTextDelta', sessionId: S, seq, text });
const final = (seq: number, content: string, extra: Partial<Extract<AgentTestEvent, { __typename: 'AgentFinalMessage' }>> = {}) =>
  event({
    __typename: 'AgentFinalMessage',
    sessionId: S,
    seq,
    content,
    model: 'claude-haiku-4-5',
    inputTokens: 120,
    outputTokens: 30,
    cachedInputTokens: 100,
    costUsd: 0.000123,
    latencyMs: 840,
    cached: false,
    steps: 1,
    ...extra,
  });
const call = (overrides: Partial<LlmCall>): LlmCall => ({
  id: 'LlmCall:1',
  model: 'gpt-5-mini',
  provider: 'OPENAI',
  attempt: 1,
  status: 'SUCCEEDED',
  error: null,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  costUsd: 0.00001,
  latencyMs: 300,
  routeReason: null,
  createdAt: '2026-11-24T10:00:00Z',
  ...overrides,
});
const started = (text = 'Hi'): TranscriptAction[] => [
  { type: 'send', content: text },
  { type: 'started', sessionId: S },
];
const assistants = (t: Transcript) => t.items.filter((i): i is Extract<TranscriptItem, { kind: 'assistant' }> => i.kind === 'assistant');

describe('transcriptReducer', () => {
  it('streams deltas into one message that the final message replaces', () => {
    const streaming = run([...started(), delta(1, 'Hel'), delta(2, 'lo th')]);
    expect(assistants(streaming)).toMatchObject([{ content: 'Hello th', status: 'streaming', final: null }]);
    expect(streaming.running).toBe(S);

    const done = run([final(4, 'Hello there!')], streaming);
    expect(done.items.map((i) => i.kind)).toEqual(['user', 'assistant']);
    expect(assistants(done)).toMatchObject([
      { content: 'Hello there!', status: 'final', final: { model: 'claude-haiku-4-5', costUsd: 0.000123, cachedInputTokens: 100 } },
    ]);
    expect(done.running).toBeNull();
  });

  it('shows the final message when every delta was missed', () => {
    const done = run([...started(), final(3, 'Complete answer')]);
    expect(assistants(done)).toMatchObject([{ content: 'Complete answer', status: 'final' }]);
  });

  it('ignores deltas and replays that arrive after the final message', () => {
    const done = run([...started(), delta(1, 'A'), final(2, 'AB'), delta(3, 'late'), final(2, 'AB')]);
    expect(assistants(done)).toHaveLength(1);
    expect(assistants(done)[0]?.content).toBe('AB');
  });

  it('attaches a tool result to its call, and keeps text written before the call', () => {
    const done = run([
      ...started('Weather in Paris?'),
      delta(1, 'Let me check.'),
      event({ __typename: 'AgentToolCallEvent', sessionId: S, seq: 2, toolCallId: 'call_1', name: 'http.get', arguments: { url: 'https://wx.test/paris' } }),
      event({ __typename: 'AgentToolResultEvent', sessionId: S, seq: 3, toolCallId: 'call_1', name: 'http.get', output: { tempC: 18 }, error: null }),
      delta(4, 'It is 18'),
      final(5, 'It is 18 °C in Paris.', { steps: 2 }),
    ]);
    expect(done.items.map((i) => i.kind)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    const [interim, answer] = assistants(done);
    expect(interim).toMatchObject({ content: 'Let me check.', status: 'interim' });
    expect(answer).toMatchObject({ content: 'It is 18 °C in Paris.', status: 'final', final: { steps: 2 } });
    expect(done.items[2]).toMatchObject({
      kind: 'tool',
      name: 'http.get',
      arguments: { url: 'https://wx.test/paris' },
      result: { output: { tempC: 18 }, error: null },
    });
  });

  it('does not duplicate events replayed after a reconnect', () => {
    const toolCall = event({ __typename: 'AgentToolCallEvent', sessionId: S, seq: 1, toolCallId: 'c', name: 'calc', arguments: { x: 1 } });
    const done = run([...started(), toolCall, toolCall]);
    expect(done.items.filter((i) => i.kind === 'tool')).toHaveLength(1);
  });

  it('shows a tool result whose call was missed on its own', () => {
    const done = run([...started(), event({ __typename: 'AgentToolResultEvent', sessionId: S, seq: 2, toolCallId: 'c', name: 'calc', output: null, error: 'Division by zero' })]);
    expect(done.items[1]).toMatchObject({ kind: 'tool', name: 'calc', arguments: undefined, result: { error: 'Division by zero' } });
  });

  it('notes the routing choice once and failed model calls as failover', () => {
    const done = run([
      ...started(),
      event({ __typename: 'AgentModelCallEvent', sessionId: S, seq: 1, call: call({ status: 'FAILED', model: 'gpt-5', error: 'HTTP 529 overloaded', routeReason: 'long prompt' }) }),
      event({ __typename: 'AgentModelCallEvent', sessionId: S, seq: 2, call: call({ attempt: 2, routeReason: 'long prompt' }) }),
      event({ __typename: 'AgentModelCallEvent', sessionId: S, seq: 3, call: call({ id: 'LlmCall:3', model: 'gpt-5', routeReason: 'tool results' }) }),
    ]);
    expect(done.items.filter((i) => i.kind === 'note').map((i) => (i.kind === 'note' ? i.text : ''))).toEqual([
      'auto: routed to gpt-5 (long prompt)',
      'failover: gpt-5 failed (HTTP 529 overloaded)',
    ]);
    expect(done.running).toBe(S);
  });

  it('ends the turn on an error event and marks streamed text incomplete', () => {
    const done = run([...started(), delta(1, 'Partial'), event({ __typename: 'AgentTestError', sessionId: S, seq: 2, code: 'COST_CAP_EXCEEDED', message: 'The run would cost more than $0.01' })]);
    expect(done.running).toBeNull();
    expect(assistants(done)).toMatchObject([{ content: 'Partial', status: 'stopped' }]);
    expect(done.items.at(-1)).toMatchObject({ kind: 'error', code: 'COST_CAP_EXCEEDED', message: 'The run would cost more than $0.01' });
  });

  it('records a failed testAgent call as an error without a session', () => {
    const done = run([{ type: 'send', content: 'Hi' }, { type: 'failed', sessionId: null, code: 'FORBIDDEN', message: 'No permission' }]);
    expect(done.items.at(-1)).toMatchObject({ kind: 'error', sessionId: null, code: 'FORBIDDEN' });
    expect(done.running).toBeNull();
  });

  it('stops a running turn', () => {
    const done = run([...started(), delta(1, 'Once upon'), { type: 'stopped', sessionId: S }, delta(2, ' a time')]);
    expect(done.running).toBeNull();
    expect(assistants(done)).toMatchObject([{ content: 'Once upon', status: 'stopped' }]);
    expect(done.items.at(-1)).toMatchObject({ kind: 'note', variant: 'stopped' });
  });

  it('falls back to the session the server recorded when the live stream ended early', () => {
    const session: AgentTestSession = {
      id: S,
      status: 'SUCCEEDED',
      reply: 'Recovered answer',
      error: null,
      errorCode: null,
      agentVersion: 3,
      startedAt: '2026-11-24T10:00:00Z',
      finishedAt: '2026-11-24T10:00:02Z',
      llmCalls: [call({ status: 'FAILED', model: 'gpt-5', costUsd: 0 }), call({ costUsd: 0.0002, inputTokens: 40, outputTokens: 8 })],
    };
    const done = run([...started(), delta(1, 'Recov'), { type: 'session', session }]);
    expect(assistants(done)).toMatchObject([
      { content: 'Recovered answer', status: 'final', final: { model: 'gpt-5-mini', costUsd: 0.0002, inputTokens: 50, outputTokens: 13, steps: 1 } },
    ]);
    // A later final event from the stream does not add a second answer.
    expect(assistants(run([final(9, 'Recovered answer')], done))).toHaveLength(1);
  });

  it('clears everything', () => {
    expect(run([...started(), delta(1, 'x'), { type: 'clear' }])).toEqual(emptyTranscript);
  });
});

describe('chatHistory', () => {
  it('sends user messages and final answers, not drafts, tool cards or errors', () => {
    const t = run([
      ...started('First'),
      delta(1, 'thinking'),
      event({ __typename: 'AgentToolCallEvent', sessionId: S, seq: 2, toolCallId: 'c', name: 'calc', arguments: {} }),
      final(3, 'Answer one'),
      { type: 'send', content: 'Second' },
      { type: 'failed', sessionId: null, code: 'RATE_LIMITED', message: 'Slow down' },
    ]);
    expect(chatHistory(t.items)).toEqual([
      { role: 'USER', content: 'First' },
      { role: 'ASSISTANT', content: 'Answer one' },
      { role: 'USER', content: 'Second' },
    ]);
  });
});
