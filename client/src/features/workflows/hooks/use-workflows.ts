import { useMemo, useState } from 'react';
import { useClient, useQuery, type Client, type CombinedError } from 'urql';
import { WorkflowsQuery, type WorkflowStatus, type WorkflowSummary, type WorkflowsPage } from '../api/workflows.api';

export const WORKFLOWS_PAGE_SIZE = 25;

interface MorePages {
  client: Client;
  key: string;
  workflows: WorkflowSummary[];
  pageInfo: WorkflowsPage['pageInfo'];
  error: CombinedError | null;
}

/**
 * Workflows, newest updated first, like useAgents: the first page refetches when the filter or a
 * workflow changes; "Load more" appends pages by cursor for the current filter only.
 */
export function useWorkflows(status: WorkflowStatus | null, search: string) {
  const client = useClient();
  const term = search.trim() || null;
  const key = `${status ?? ''}:${term ?? ''}`;
  const variables = useMemo(() => ({ first: WORKFLOWS_PAGE_SIZE, after: null, status, search: term }), [status, term]);
  const context = useMemo(() => ({ additionalTypenames: ['Workflow'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: WorkflowsQuery, variables, context });
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data?.workflows;
  const extra = more && more.client === client && more.key === key ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const workflows = useMemo(() => {
    const byId = new Map<string, WorkflowSummary>();
    for (const workflow of [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.workflows ?? [])]) {
      if (!byId.has(workflow.id)) byId.set(workflow.id, workflow);
    }
    return [...byId.values()];
  }, [first, extra]);

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(WorkflowsQuery, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data?.workflows;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.key === key ? prev : null;
      return {
        client,
        key,
        workflows: [...(kept?.workflows ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    workflows,
    hasNextPage: pageInfo?.hasNextPage ?? false,
    loading: fetching && !data,
    fetching,
    loadingMore,
    error: error ?? extra?.error ?? null,
    loadMore: () => void loadMore(),
    reload: () => {
      setMore(null);
      reexecute({ requestPolicy: 'network-only' });
    },
  };
}
