import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { Client, Provider, subscriptionExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import { notifySubscriptionsReconnected } from '../../../lib/subscription-reconnects';
import type { RunEvent } from '../api/runs.api';
import { useRunEvents } from './use-run-events';

interface Sink {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

/** An urql client whose subscriptions are recorded and fed by hand. */
function fakeServer() {
  const subscriptions: { variables: Record<string, unknown>; sink: Sink; closed: boolean }[] = [];
  const client = new Client({
    url: 'http://localhost/graphql',
    exchanges: [
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe(sink) {
            const entry = { variables: request.variables as Record<string, unknown>, sink: sink as Sink, closed: false };
            subscriptions.push(entry);
            return { unsubscribe: () => void (entry.closed = true) };
          },
        }),
      }),
    ],
  });
  const wrapper = ({ children }: { children: ReactNode }) => <Provider value={client}>{children}</Provider>;
  const open = () => subscriptions.filter((s) => !s.closed);
  const send = (id: number) =>
    act(() => {
      for (const s of open()) s.sink.next({ data: { runEvents: { id, runId: 'Run:1', type: 'task.succeeded', nodeId: 'a', taskId: null, message: null, data: null, createdAt: '2026-11-24T10:00:00Z' } } });
    });
  return { subscriptions, wrapper, open, send };
}

describe('useRunEvents', () => {
  it('subscribes from the start, then again from the last event after the socket reconnects', async () => {
    const server = fakeServer();
    const onEvent = vi.fn<(event: RunEvent) => void>();
    const { result } = renderHook(() => useRunEvents('Run:1', { onEvent, shouldResume: () => true }), { wrapper: server.wrapper });
    await waitFor(() => expect(server.subscriptions).toHaveLength(1));
    expect(server.subscriptions[0]!.variables).toEqual({ runId: 'Run:1', after: 0 });

    server.send(1);
    server.send(2);
    await waitFor(() => expect(result.current.events.map((e: RunEvent) => e.id)).toEqual([1, 2]));
    expect(result.current.connection).toBe('live');

    act(() => notifySubscriptionsReconnected());
    await waitFor(() => expect(server.open()).toHaveLength(1));
    expect(server.open()[0]!.variables).toEqual({ runId: 'Run:1', after: 2 });
    expect(server.subscriptions[0]!.closed).toBe(true);

    // A replayed event is not delivered twice.
    server.send(2);
    server.send(3);
    await waitFor(() => expect(result.current.events.map((e: RunEvent) => e.id)).toEqual([1, 2, 3]));
    expect(onEvent.mock.calls.map(([e]) => (e as RunEvent).id)).toEqual([1, 2, 3]);
    expect(result.current.lastId).toBe(3);
  });

  it('stops at the final event without asking, however the run looks', async () => {
    const server = fakeServer();
    const shouldResume = vi.fn<() => boolean>(() => true);
    const { result } = renderHook(() => useRunEvents('Run:1', { shouldResume }), { wrapper: server.wrapper });
    await waitFor(() => expect(server.subscriptions).toHaveLength(1));
    act(() => {
      server.subscriptions[0]!.sink.next({ data: { runEvents: { id: 9, runId: 'Run:1', type: 'run.succeeded', nodeId: null, taskId: null, message: null, data: null, createdAt: '2026-11-24T10:00:00Z' } } });
      server.subscriptions[0]!.sink.complete();
    });
    await waitFor(() => expect(result.current.connection).toBe('ended'));
    expect(shouldResume).not.toHaveBeenCalled();
  });

  it('subscribes again from the last event when the server ends the stream of an unfinished run', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const server = fakeServer();
      let finished = false;
      const { result } = renderHook(() => useRunEvents('Run:1', { shouldResume: () => !finished }), { wrapper: server.wrapper });
      await waitFor(() => expect(server.subscriptions).toHaveLength(1));
      server.send(4);
      act(() => server.subscriptions[0]!.sink.complete());
      await waitFor(() => expect(result.current.connection).toBe('reconnecting'));
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1100);
      });
      await waitFor(() => expect(server.subscriptions).toHaveLength(2));
      expect(server.subscriptions[1]!.variables).toEqual({ runId: 'Run:1', after: 4 });

      finished = true;
      server.send(5);
      act(() => server.subscriptions[1]!.sink.complete());
      await waitFor(() => expect(result.current.connection).toBe('ended'));
      await act(async () => {
        await vi.advanceTimersByTimeAsync(5000);
      });
      expect(server.subscriptions).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
