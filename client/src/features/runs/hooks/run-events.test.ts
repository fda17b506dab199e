import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../api/runs.api';
import { INITIAL_RUN_EVENTS, eventsOfNode, resumeAfter, runEventsReducer } from './run-events';

const event = (id: number, type = 'task.started', nodeId: string | null = 'agent_1'): RunEvent => ({
  id,
  runId: 'Run:1',
  type,
  nodeId,
  taskId: null,
  message: null,
  data: null,
  createdAt: '2026-11-24T10:00:00Z',
});

const receive = (...batches: RunEvent[][]) => batches.reduce((state, events) => runEventsReducer(state, { type: 'received', events }), INITIAL_RUN_EVENTS);

describe('runEventsReducer', () => {
  it('keeps each event once, by id (replays after a resubscription add nothing)', () => {
    const state = receive([event(1), event(2)], [event(2), event(1)], [event(3)], [event(3)]);
    expect(state.events.map((e) => e.id)).toEqual([1, 2, 3]);
  });

  it('returns the same state when nothing is new', () => {
    const state = receive([event(1), event(2)]);
    expect(runEventsReducer(state, { type: 'received', events: [event(2)] })).toBe(state);
  });

  it('orders events by id whatever order they arrive in', () => {
    expect(receive([event(5)], [event(2), event(4)], [event(3), event(1)]).events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('resumes after the highest id received, or from the start', () => {
    expect(resumeAfter(INITIAL_RUN_EVENTS)).toBe(0);
    expect(resumeAfter(receive([event(7), event(3)]))).toBe(7);
    expect(receive([event(7)], [event(3)]).lastId).toBe(7);
  });

  it('picks out the events of one node', () => {
    const state = receive([event(1, 'run.started', null), event(2, 'task.started', 'a'), event(3, 'task.started', 'b'), event(4, 'task.succeeded', 'a')]);
    expect(eventsOfNode(state.events, 'a').map((e) => e.id)).toEqual([2, 4]);
  });
});
