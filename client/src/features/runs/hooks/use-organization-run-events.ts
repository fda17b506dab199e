import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { OrganizationRunEventsSubscription, type RunEvent } from '../api/runs.api';

/**
 * Calls `onEvent` for live events of every run of the active organization. Callers share one
 * graphql-ws subscription (urql deduplicates identical operations).
 */
export function useOrganizationRunEvents(onEvent: (event: RunEvent) => void): void {
  const handler = useRef(onEvent);
  useLayoutEffect(() => {
    handler.current = onEvent;
  });
  const [{ data }] = useSubscription({ query: OrganizationRunEventsSubscription });
  useEffect(() => {
    if (data) handler.current(data.organizationRunEvents);
  }, [data]);
}

/** `refresh`, called at most once per `ms` of quiet after a burst of calls. */
export function useDebouncedRefresh(refresh: () => void, ms: number): () => void {
  const latest = useRef(refresh);
  useLayoutEffect(() => {
    latest.current = refresh;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  }, [ms]);
}
