import { useMemo } from 'react';
import { useConnectionPages } from '../../../lib/use-connection-pages';
import { RunsQuery, type RunStatus } from '../api/runs.api';

export const RUNS_PAGE_SIZE = 25;

/** Runs, newest first, filtered by workflow and status; "Load more" appends pages by cursor. */
export function useRuns(workflowId: string | null, status: RunStatus | null) {
  const variables = useMemo(() => ({ first: RUNS_PAGE_SIZE, after: null, workflowId, status }), [workflowId, status]);
  const context = useMemo(() => ({ additionalTypenames: ['Run'] }), []);
  const { nodes: runs, hasNextPage, loading, fetching, loadingMore, error, loadMore, refresh, reload } = useConnectionPages({
    query: RunsQuery,
    variables,
    context,
    key: `${workflowId ?? ''}:${status ?? ''}`,
    connection: (data) => data.runs,
    dedupeById: true,
  });
  return {
    runs,
    hasNextPage,
    loading,
    fetching,
    loadingMore,
    error,
    loadMore,
    /** The first page again, quietly (live updates); loaded pages stay. */
    refresh,
    reload,
  };
}
