import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { ViewerQuery, type Viewer } from '../../features/organizations/api/organizations.api';
import { hasErrorCode } from '../../lib/errors';
import { clearSession } from '../../lib/session-store';

/**
 * The signed-in user with their organizations. Keeps the last answer while a new client (after
 * an organization switch) refetches, so the shell does not flash back to a skeleton.
 */
export function useViewer() {
  const context = useMemo(() => ({ additionalTypenames: ['Organization', 'Membership'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ViewerQuery, context });
  const [last, setLast] = useState<Viewer | null>(null);
  // Remembering the previous answer during render is React's documented derived-state pattern.
  if (data?.viewer && data.viewer !== last) setLast(data.viewer);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  useEffect(() => {
    // A session the server no longer knows: sign out instead of showing an empty shell.
    if ((data && data.viewer === null) || hasErrorCode(error, 'UNAUTHENTICATED')) clearSession();
  }, [data, error]);

  return {
    viewer: data?.viewer ?? last,
    /** False while only the previous client's answer is shown. */
    fresh: Boolean(data?.viewer),
    fetching,
    error: data?.viewer ? undefined : error,
    refresh,
  };
}
