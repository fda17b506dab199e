import { useMemo } from 'react';
import { useConnectionPages } from '../../../lib/use-connection-pages';
import { WorkflowsQuery, type WorkflowStatus } from '../api/workflows.api';

export const WORKFLOWS_PAGE_SIZE = 25;

/**
 * Workflows, newest updated first, like useAgents: the first page refetches when the filter or a
 * workflow changes; "Load more" appends pages by cursor for the current filter only.
 */
export function useWorkflows(status: WorkflowStatus | null, search: string) {
  const term = search.trim() || null;
  const variables = useMemo(() => ({ first: WORKFLOWS_PAGE_SIZE, after: null, status, search: term }), [status, term]);
  const context = useMemo(() => ({ additionalTypenames: ['Workflow'] }), []);
  const { nodes: workflows, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useConnectionPages({
    query: WorkflowsQuery,
    variables,
    context,
    key: `${status ?? ''}:${term ?? ''}`,
    connection: (data) => data.workflows,
    dedupeById: true,
  });
  return { workflows, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload };
}
