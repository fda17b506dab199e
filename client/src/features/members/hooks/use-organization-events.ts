import { useEffect, useLayoutEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { OrganizationEventsSubscription, type OrganizationEvent } from '../api/members.api';

/**
 * Calls `onEvent` for every event of the active organization. Several callers share one
 * graphql-ws subscription (urql deduplicates identical operations).
 */
export function useOrganizationEvents(onEvent: (event: OrganizationEvent) => void): void {
  const handler = useRef(onEvent);
  useLayoutEffect(() => {
    handler.current = onEvent;
  });
  const [{ data }] = useSubscription({ query: OrganizationEventsSubscription });
  useEffect(() => {
    if (data) handler.current(data.organizationEvents);
  }, [data]);
}
