import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { useClient } from 'urql';
import { onSubscriptionsReconnected } from '../../../lib/subscription-reconnects';
import { RunEventsSubscription, type RunEvent } from '../api/runs.api';
import { INITIAL_RUN_EVENTS, resumeAfter, runEventsReducer } from './run-events';

export type RunEventsConnection = 'live' | 'reconnecting' | 'ended' | 'failed';

interface Options {
  /** Called once per new event (never for a replayed duplicate). */
  onEvent?: (event: RunEvent) => void;
  /** Whether to subscribe again when the server ends the stream (the run is not finished yet). */
  shouldResume: () => boolean;
}

const MAX_BACKOFF_MS = 30_000;

/** After one of these the server ends the stream: there is nothing more to wait for. */
const FINAL_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

/**
 * The run's events: the stored ones first, then live, through `runEvents(runId, after)`.
 * Every (re)subscription passes the last id received as `after`, so nothing is missed and
 * nothing comes twice: after the socket reconnects, after a network error (with backoff), and
 * when the server ended the stream of a run that is still going. Mount it per run (key by id).
 *
 * urql reports the end of a stream only after at least one event (a final result with
 * `hasNext: false`); a stream that ends empty goes unnoticed, so the monitor also refetches the
 * run now and then while it is active.
 */
export function useRunEvents(runId: string, options: Options) {
  const client = useClient();
  const [state, dispatch] = useReducer(runEventsReducer, INITIAL_RUN_EVENTS);
  const [generation, setGeneration] = useState(0);
  const [connection, setConnection] = useState<RunEventsConnection>('live');
  const [error, setError] = useState<unknown>(null);
  const handlers = useRef(options);
  useLayoutEffect(() => {
    handlers.current = options;
  });
  const seen = useRef({ ids: new Set<number>(), lastId: null as number | null, lastType: null as string | null, failures: 0 });

  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = (delay: number) => {
      timer = setTimeout(() => {
        if (!active) return;
        setConnection('live');
        setGeneration((g) => g + 1);
      }, delay);
    };
    const after = resumeAfter({ events: [], lastId: seen.current.lastId });
    // Each attempt is its own operation (its number rides along in the context for debugging).
    const subscription = client.subscription(RunEventsSubscription, { runId, after }, { attempt: generation }).subscribe((result) => {
      if (!active) return;
      const event = result.data?.runEvents;
      if (event && !seen.current.ids.has(event.id)) {
        seen.current.ids.add(event.id);
        if (seen.current.lastId === null || event.id > seen.current.lastId) {
          seen.current.lastId = event.id;
          seen.current.lastType = event.type;
        }
        seen.current.failures = 0;
        dispatch({ type: 'received', events: [event] });
        setConnection('live');
        setError(null);
        handlers.current.onEvent?.(event);
      }
      if (result.error) {
        setError(result.error);
        if (result.error.networkError) {
          // graphql-ws gave up reconnecting: try again from the last event, more slowly each time.
          setConnection('reconnecting');
          seen.current.failures += 1;
          again(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** seen.current.failures));
        } else {
          setConnection('failed');
        }
      } else if (result.hasNext === false) {
        const final = seen.current.lastType !== null && FINAL_EVENTS.has(seen.current.lastType);
        if (!final && handlers.current.shouldResume()) {
          setConnection('reconnecting');
          again(1000);
        } else {
          setConnection('ended');
        }
      }
    });
    return () => {
      active = false;
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [client, runId, generation]);

  // The socket came back: graphql-ws re-sent the old `after`; subscribe again from the last event.
  useEffect(
    () =>
      onSubscriptionsReconnected(() => {
        setConnection('live');
        setGeneration((g) => g + 1);
      }),
    [],
  );

  return {
    events: state.events,
    lastId: state.lastId,
    connection,
    error,
    /** Subscribes again from the last event (e.g. after a retry restarted a finished run). */
    resume: () => {
      setConnection('live');
      setGeneration((g) => g + 1);
    },
  };
}
