import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { Client, fetchExchange, subscriptionExchange, type ExecutionResult } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { AgentTestEvent, AgentTestSession } from '../api/agents.api';
import { TestChatPanel } from './test-chat-panel';

type Sink = { next: (value: ExecutionResult) => void };
type EventInput<E = AgentTestEvent> = E extends AgentTestEvent ? Omit<E, 'sessionId'> : never;

/** A subscription transport the test drives: one sink per agentTestEvents session. */
function eventStreams() {
  const sinks = new Map<string, Sink>();
  const exchange = subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink) => {
        const id = String((request.variables as { sessionId: string }).sessionId);
        sinks.set(id, sink);
        return { unsubscribe: () => sinks.delete(id) };
      },
    }),
  });
  const emit = (event: EventInput, sessionId = 'S1') =>
    act(() => sinks.get(sessionId)?.next({ data: { agentTestEvents: { sessionId, ...event } } }));
  return { exchange, sinks, emit };
}

const session = (id: string, status: AgentTestSession['status'] = 'RUNNING'): AgentTestSession => ({
  id,
  status,
  reply: null,
  error: null,
  errorCode: null,
  agentVersion: 2,
  startedAt: '2026-11-24T10:00:00Z',
  finishedAt: null,
  llmCalls: [],
});

function renderPanel() {
  let turn = 0;
  const api = graphqlFetch({
    TestAgent: () => ({ data: { testAgent: session(`S${++turn}`) } }),
    StopAgentTest: (req) => ({ data: { stopAgentTest: session(String(req.variables.id), 'STOPPED') } }),
  });
  const streams = eventStreams();
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange, streams.exchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<TestChatPanel agentId="Agent:1" version={2} unsavedChanges={false} />, { client });
  return { api, ...streams };
}

function send(text: string) {
  fireEvent.change(screen.getByTestId('chat-input'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('chat-send'));
}

describe('TestChatPanel', () => {
  it('streams a reply, shows tool calls and the final message with its cost, then sends the history', async () => {
    const { api, sinks, emit } = renderPanel();
    send('What is 6 × 7?');
    await waitFor(() => expect(sinks.has('S1')).toBe(true));
    expect(api.requests[0]?.variables).toEqual({ input: { agentId: 'Agent:1', messages: [{ role: 'USER', content: 'What is 6 × 7?' }] } });
    expect(screen.getByTestId('chat-stop')).toBeTruthy();

    emit({ __typename: 'AgentToolCallEvent', seq: 1, toolCallId: 't1', name: 'calculator', arguments: { expression: '6*7' } });
    emit({ __typename: 'AgentToolResultEvent', seq: 2, toolCallId: 't1', name: 'calculator', output: { value: 42 }, error: null });
    emit({ __typename: 'AgentTextDelta', seq: 3, text: 'It is ' });
    emit({ __typename: 'AgentTextDelta', seq: 4, text: '4' });
    const card = screen.getByTestId('tool-call');
    expect(card.textContent).toContain('calculator');
    expect(screen.getByTestId('tool-call-arguments').textContent).toContain('"expression": "6*7"');
    expect(screen.getByTestId('tool-result').textContent).toContain('42');
    expect(screen.getAllByTestId('chat-message').at(-1)?.textContent).toContain('It is 4');
    expect(screen.getByTestId('chat-streaming')).toBeTruthy();

    emit({
      __typename: 'AgentFinalMessage',
      seq: 5,
      content: 'It is 42.',
      model: 'claude-haiku-4-5',
      inputTokens: 1200,
      outputTokens: 12,
      cachedInputTokens: 1000,
      costUsd: 0.000123,
      latencyMs: 1530,
      cached: true,
      steps: 2,
    });
    const answer = screen.getAllByTestId('chat-message').at(-1)!;
    expect(answer.textContent).toContain('It is 42.');
    expect(answer.getAttribute('data-status')).toBe('final');
    expect(screen.queryByTestId('chat-streaming')).toBeNull();
    expect(screen.getByTestId('message-cost').textContent).toBe('$0.000123');
    expect(screen.getByTestId('message-tokens').textContent).toBe('1,200 in / 12 out (1,000 cached)');
    expect(screen.getByTestId('message-model').textContent).toBe('claude-haiku-4-5');
    expect(screen.getByTestId('message-latency').textContent).toBe('1.5 s');
    expect(screen.getByTestId('message-cached')).toBeTruthy();
    expect(screen.queryByTestId('chat-stop')).toBeNull();

    send('And doubled?');
    await waitFor(() => expect(sinks.has('S2')).toBe(true));
    expect(api.requests[1]?.variables).toEqual({
      input: {
        agentId: 'Agent:1',
        messages: [
          { role: 'USER', content: 'What is 6 × 7?' },
          { role: 'ASSISTANT', content: 'It is 42.' },
          { role: 'USER', content: 'And doubled?' },
        ],
      },
    });
  });

  it('shows failover notes and errors', async () => {
    const { sinks, emit } = renderPanel();
    send('Hi');
    await waitFor(() => expect(sinks.has('S1')).toBe(true));
    emit({
      __typename: 'AgentModelCallEvent',
      seq: 1,
      call: {
        id: 'c1', model: 'gpt-5', provider: 'OPENAI', attempt: 1, status: 'FAILED', error: 'HTTP 503', inputTokens: 0, outputTokens: 0,
        cachedInputTokens: 0, costUsd: 0, latencyMs: 90, routeReason: null, createdAt: '2026-11-24T10:00:00Z',
      },
    });
    emit({ __typename: 'AgentTestError', seq: 2, code: 'COST_CAP_EXCEEDED', message: 'This agent reached its monthly cost cap' });
    expect(screen.getByTestId('chat-failover').textContent).toBe('failover: gpt-5 failed (HTTP 503)');
    const error = screen.getByTestId('chat-error');
    expect(error.textContent).toContain('COST_CAP_EXCEEDED');
    expect(error.textContent).toContain('monthly cost cap');
    expect(screen.queryByTestId('chat-stop')).toBeNull();
  });

  it('stops a running test and clears the conversation', async () => {
    const { api, sinks, emit } = renderPanel();
    send('Tell me a long story');
    await waitFor(() => expect(sinks.has('S1')).toBe(true));
    emit({ __typename: 'AgentTextDelta', seq: 1, text: 'Once upon a time' });
    fireEvent.click(screen.getByTestId('chat-stop'));
    await screen.findByText('Stopped');
    expect(api.requests.at(-1)).toMatchObject({ operationName: 'StopAgentTest', variables: { id: 'S1' } });
    expect(sinks.has('S1')).toBe(false);

    fireEvent.click(screen.getByTestId('chat-clear'));
    expect(screen.queryAllByTestId('chat-message')).toHaveLength(0);
    expect(screen.getByTestId('chat-empty')).toBeTruthy();
  });
});
