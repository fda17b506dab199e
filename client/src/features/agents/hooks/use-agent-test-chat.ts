import { useCallback, useEffect, useReducer, useRef } from 'react';
import { useClient, useMutation } from 'urql';
import { errorCode } from '../../../lib/errors';
import { notifyError } from '../../../lib/notify';
import { AgentTestEventsSubscription, AgentTestSessionQuery, StopAgentTestMutation, TestAgentMutation } from '../api/agents.api';
import { chatHistory, emptyTranscript, transcriptReducer } from './chat-transcript';

/** After this long without an event, ask the server how the turn went (a missed final event, a dropped socket). */
const QUIET_MS = 15_000;

function firstMessage(error: unknown): string {
  const errors = (error as { graphQLErrors?: { message: string }[] } | null)?.graphQLErrors;
  return errors?.[0]?.message ?? (error instanceof Error ? error.message : 'Something went wrong');
}

/**
 * A test conversation with a saved agent. Each turn sends the whole history to `testAgent`, then
 * follows `agentTestEvents` for the session: text deltas stream in, the final message replaces
 * them (deltas sent before the subscription started are never seen; the final one is complete).
 */
export function useAgentTestChat(agentId: string) {
  const client = useClient();
  const [transcript, dispatch] = useReducer(transcriptReducer, emptyTranscript);
  const [testState, testAgent] = useMutation(TestAgentMutation);
  const [stopState, stopAgentTest] = useMutation(StopAgentTestMutation);
  const subscription = useRef<{ unsubscribe: () => void } | null>(null);
  const lastEventAt = useRef(0);

  const unsubscribe = useCallback(() => {
    subscription.current?.unsubscribe();
    subscription.current = null;
  }, []);

  const checkSession = useCallback(
    async (sessionId: string) => {
      const result = await client.query(AgentTestSessionQuery, { id: sessionId }, { requestPolicy: 'network-only' }).toPromise();
      const session = result.data?.agentTestSession;
      if (session) dispatch({ type: 'session', session });
    },
    [client],
  );

  const follow = useCallback(
    (sessionId: string) => {
      unsubscribe();
      lastEventAt.current = Date.now();
      subscription.current = client.subscription(AgentTestEventsSubscription, { sessionId }).subscribe((result) => {
        lastEventAt.current = Date.now();
        if (result.data) dispatch({ type: 'event', event: result.data.agentTestEvents });
        if (result.error) void checkSession(sessionId);
      });
    },
    [client, unsubscribe, checkSession],
  );

  const running = transcript.running;
  // The turn ended: stop listening. While it runs, check on it when the stream goes quiet.
  useEffect(() => {
    if (!running) {
      unsubscribe();
      return;
    }
    const timer = setInterval(() => {
      if (Date.now() - lastEventAt.current > QUIET_MS) {
        lastEventAt.current = Date.now();
        void checkSession(running);
      }
    }, QUIET_MS / 3);
    return () => clearInterval(timer);
  }, [running, unsubscribe, checkSession]);

  useEffect(() => unsubscribe, [unsubscribe]);

  const send = async (content: string) => {
    const text = content.trim();
    if (!text || running || testState.fetching) return;
    const messages = [...chatHistory(transcript.items), { role: 'USER' as const, content: text }];
    dispatch({ type: 'send', content: text });
    const result = await testAgent({ input: { agentId, messages } });
    const session = result.data?.testAgent;
    if (!session) {
      dispatch({ type: 'failed', sessionId: null, code: errorCode(result.error) ?? 'ERROR', message: firstMessage(result.error) });
      return;
    }
    dispatch({ type: 'started', sessionId: session.id });
    follow(session.id);
  };

  const stop = async () => {
    if (!running) return;
    const result = await stopAgentTest({ id: running });
    if (result.error) notifyError(result.error, 'Could not stop the test');
    else dispatch({ type: 'stopped', sessionId: running });
  };

  const clear = () => {
    if (running) void stopAgentTest({ id: running });
    unsubscribe();
    dispatch({ type: 'clear' });
  };

  return {
    items: transcript.items,
    running: running !== null || testState.fetching,
    stopping: stopState.fetching,
    send,
    stop: () => void stop(),
    clear,
  };
}
