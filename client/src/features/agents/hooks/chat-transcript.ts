import type { AgentTestEvent, AgentTestSession, ChatRole } from '../api/agents.api';

export interface FinalInfo {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  latencyMs: number;
  cached: boolean;
  steps: number;
}

/**
 * An assistant text block: `streaming` while deltas arrive, `final` once the final message
 * replaced it, `interim` for text the model wrote before calling tools, `stopped` when the turn
 * ended without a final message (stopped, failed, disconnected).
 */
export type AssistantStatus = 'streaming' | 'final' | 'interim' | 'stopped';

export type TranscriptItem =
  | { kind: 'user'; id: string; content: string }
  | { kind: 'assistant'; id: string; sessionId: string; content: string; status: AssistantStatus; final: FinalInfo | null }
  | {
      kind: 'tool';
      id: string;
      sessionId: string;
      toolCallId: string;
      name: string;
      arguments: unknown;
      result: { output: unknown; error: string | null } | null;
    }
  | { kind: 'note'; id: string; sessionId: string; variant: 'failover' | 'route' | 'stopped'; text: string }
  | { kind: 'error'; id: string; sessionId: string | null; code: string; message: string };

export interface Transcript {
  items: TranscriptItem[];
  /** The session whose events are awaited, or null when no turn is running. */
  running: string | null;
  /** Sessions that ended: their late deltas and replays are ignored. */
  finished: readonly string[];
  /** `sessionId:seq` of applied events other than deltas (those are replayed after a reconnect). */
  seen: readonly string[];
  nextId: number;
}

export type TranscriptAction =
  | { type: 'send'; content: string }
  | { type: 'started'; sessionId: string }
  | { type: 'event'; event: AgentTestEvent }
  /** The session as the server has it, for when the live stream ended without a final event. */
  | { type: 'session'; session: AgentTestSession }
  | { type: 'stopped'; sessionId: string }
  | { type: 'failed'; sessionId: string | null; code: string; message: string }
  | { type: 'clear' };

export const emptyTranscript: Transcript = { items: [], running: null, finished: [], seen: [], nextId: 1 };

type Assistant = Extract<TranscriptItem, { kind: 'assistant' }>;
const isAssistantOf = (item: TranscriptItem | undefined, sessionId: string): item is Assistant =>
  item?.kind === 'assistant' && item.sessionId === sessionId;

/** Streaming text of a session becomes `status` (text before a tool call, a turn that ended without an answer). */
function settleDrafts(items: TranscriptItem[], sessionId: string, status: AssistantStatus): TranscriptItem[] {
  return items.map((item) => (isAssistantOf(item, sessionId) && item.status === 'streaming' ? { ...item, status } : item));
}

function finish(state: Transcript, sessionId: string, items: TranscriptItem[]): Transcript {
  return {
    ...state,
    items,
    running: state.running === sessionId ? null : state.running,
    finished: state.finished.includes(sessionId) ? state.finished : [...state.finished, sessionId],
  };
}

/** The final answer replaces the text streamed since the last tool call, or is appended. */
function applyFinal(state: Transcript, sessionId: string, id: string, content: string, final: FinalInfo): Transcript {
  const items = [...state.items];
  const last = items.length - 1;
  const draft = items[last];
  if (isAssistantOf(draft, sessionId) && draft.status === 'streaming') {
    items[last] = { ...draft, content, status: 'final', final };
  } else {
    items.push({ kind: 'assistant', id, sessionId, content, status: 'final', final });
  }
  return finish(state, sessionId, settleDrafts(items, sessionId, 'interim'));
}

function applyEvent(state: Transcript, event: AgentTestEvent): Transcript {
  const { sessionId } = event;
  if (state.finished.includes(sessionId)) return state;
  const id = `${sessionId}:${event.seq}`;

  if (event.__typename === 'AgentTextDelta') {
    const items = [...state.items];
    const last = items[items.length - 1];
    if (isAssistantOf(last, sessionId) && last.status === 'streaming') items[items.length - 1] = { ...last, content: last.content + event.text };
    else items.push({ kind: 'assistant', id, sessionId, content: event.text, status: 'streaming', final: null });
    return { ...state, items };
  }

  if (state.seen.includes(id)) return state;
  const next = { ...state, seen: [...state.seen, id] };

  switch (event.__typename) {
    case 'AgentToolCallEvent':
      return {
        ...next,
        items: [
          ...settleDrafts(next.items, sessionId, 'interim'),
          { kind: 'tool', id, sessionId, toolCallId: event.toolCallId, name: event.name, arguments: event.arguments, result: null },
        ],
      };
    case 'AgentToolResultEvent': {
      const result = { output: event.output, error: event.error };
      const index = next.items.findIndex((item) => item.kind === 'tool' && item.sessionId === sessionId && item.toolCallId === event.toolCallId);
      const call = next.items[index];
      if (call?.kind === 'tool') {
        const items = [...next.items];
        items[index] = { ...call, result };
        return { ...next, items };
      }
      // The call itself was missed: show the result on its own.
      const orphan: TranscriptItem = { kind: 'tool', id, sessionId, toolCallId: event.toolCallId, name: event.name, arguments: undefined, result };
      return { ...next, items: [...settleDrafts(next.items, sessionId, 'interim'), orphan] };
    }
    case 'AgentModelCallEvent': {
      const { call } = event;
      const notes: TranscriptItem[] = [];
      const routed = next.items.some((item) => item.kind === 'note' && item.sessionId === sessionId && item.variant === 'route');
      if (call.routeReason && call.attempt === 1 && !routed) {
        notes.push({ kind: 'note', id: `${id}:route`, sessionId, variant: 'route', text: `auto: routed to ${call.model} (${call.routeReason})` });
      }
      if (call.status === 'FAILED') {
        notes.push({ kind: 'note', id, sessionId, variant: 'failover', text: `failover: ${call.model} failed (${call.error ?? 'unknown error'})` });
      }
      return notes.length > 0 ? { ...next, items: [...next.items, ...notes] } : next;
    }
    case 'AgentFinalMessage': {
      const { content, model, inputTokens, outputTokens, cachedInputTokens, costUsd, latencyMs, cached, steps } = event;
      return applyFinal(next, sessionId, id, content, { model, inputTokens, outputTokens, cachedInputTokens, costUsd, latencyMs, cached, steps });
    }
    case 'AgentTestError': {
      const items = settleDrafts(next.items, sessionId, 'stopped');
      return finish(next, sessionId, [...items, { kind: 'error', id, sessionId, code: event.code, message: event.message }]);
    }
  }
}

/** What the server recorded for a turn whose live stream ended before its last event. */
function applySession(state: Transcript, session: AgentTestSession): Transcript {
  const sessionId = session.id;
  if (state.finished.includes(sessionId) || session.status === 'RUNNING') return state;
  const id = `${sessionId}:session`;
  if (session.status === 'SUCCEEDED') {
    const calls = session.llmCalls;
    const sum = (pick: (c: (typeof calls)[number]) => number) => calls.reduce((total, c) => total + pick(c), 0);
    const answered = calls.filter((c) => c.status !== 'FAILED');
    const final: FinalInfo = {
      model: answered[answered.length - 1]?.model ?? '—',
      inputTokens: sum((c) => c.inputTokens),
      outputTokens: sum((c) => c.outputTokens),
      cachedInputTokens: sum((c) => c.cachedInputTokens),
      costUsd: sum((c) => c.costUsd),
      latencyMs: sum((c) => c.latencyMs),
      cached: answered.length > 0 && answered.every((c) => c.status === 'CACHED'),
      steps: answered.length,
    };
    return applyFinal(state, sessionId, id, session.reply ?? '', final);
  }
  if (session.status === 'STOPPED') return stop(state, sessionId);
  const items = settleDrafts(state.items, sessionId, 'stopped');
  const error: TranscriptItem = { kind: 'error', id, sessionId, code: session.errorCode ?? 'FAILED', message: session.error ?? 'The test run failed' };
  return finish(state, sessionId, [...items, error]);
}

function stop(state: Transcript, sessionId: string): Transcript {
  if (state.finished.includes(sessionId)) return state;
  const items = settleDrafts(state.items, sessionId, 'stopped');
  return finish(state, sessionId, [...items, { kind: 'note', id: `${sessionId}:stopped`, sessionId, variant: 'stopped', text: 'Stopped' }]);
}

export function transcriptReducer(state: Transcript, action: TranscriptAction): Transcript {
  switch (action.type) {
    case 'send':
      return { ...state, items: [...state.items, { kind: 'user', id: `user:${state.nextId}`, content: action.content }], nextId: state.nextId + 1 };
    case 'started':
      return { ...state, running: action.sessionId };
    case 'event':
      return applyEvent(state, action.event);
    case 'session':
      return applySession(state, action.session);
    case 'stopped':
      return stop(state, action.sessionId);
    case 'failed': {
      const id = `error:${state.nextId}`;
      const error: TranscriptItem = { kind: 'error', id, sessionId: action.sessionId, code: action.code, message: action.message };
      const base = { ...state, nextId: state.nextId + 1 };
      if (!action.sessionId) return { ...base, items: [...state.items, error], running: null };
      if (state.finished.includes(action.sessionId)) return state;
      return finish(base, action.sessionId, [...settleDrafts(state.items, action.sessionId, 'stopped'), error]);
    }
    case 'clear':
      return emptyTranscript;
  }
}

/** The conversation the agent is sent: the user's messages and the final answers. */
export function chatHistory(items: readonly TranscriptItem[]): { role: ChatRole; content: string }[] {
  return items.flatMap((item): { role: ChatRole; content: string }[] => {
    if (item.kind === 'user') return [{ role: 'USER', content: item.content }];
    if (item.kind === 'assistant' && item.status === 'final') return [{ role: 'ASSISTANT', content: item.content }];
    return [];
  });
}
