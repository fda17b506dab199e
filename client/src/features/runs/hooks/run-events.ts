import type { RunEvent } from '../api/runs.api';

/** A run's event log as received: each event once, ordered by id. */
export interface RunEventsState {
  events: RunEvent[];
  /** The highest id received: where a new subscription resumes (`after`). */
  lastId: number | null;
}

export type RunEventsAction = { type: 'received'; events: readonly RunEvent[] };

export const INITIAL_RUN_EVENTS: RunEventsState = { events: [], lastId: null };

/**
 * Adds received events: duplicates (a resubscription replays from its `after`, graphql-ws re-sends
 * after a reconnect) are dropped by id, late ones are put in order. Nothing new: the same state.
 */
export function runEventsReducer(state: RunEventsState, action: RunEventsAction): RunEventsState {
  const known = new Set(state.events.map((e) => e.id));
  const fresh: RunEvent[] = [];
  for (const event of action.events) {
    if (known.has(event.id)) continue;
    known.add(event.id);
    fresh.push(event);
  }
  if (fresh.length === 0) return state;
  const events = [...state.events, ...fresh];
  const last = state.events.at(-1);
  const inOrder = fresh.every((event, i) => event.id > (i === 0 ? (last?.id ?? -Infinity) : fresh[i - 1]!.id));
  if (!inOrder) events.sort((a, b) => a.id - b.id);
  return { events, lastId: events.at(-1)!.id };
}

/** The `after` for (re)subscribing: everything up to the last event received is not sent again. */
export function resumeAfter(state: RunEventsState): number {
  return state.lastId ?? 0;
}

/** The events about one node, oldest first. */
export function eventsOfNode(events: readonly RunEvent[], nodeId: string): RunEvent[] {
  return events.filter((e) => e.nodeId === nodeId);
}
