import { useMemo, useState } from 'react';
import { useClient, useQuery, type Client, type CombinedError } from 'urql';
import { RunsQuery, type RunStatus, type RunSummary, type RunsPage } from '../api/runs.api';

export const RUNS_PAGE_SIZE = 25;

interface MorePages {
  client: Client;
  key: string;
  runs: RunSummary[];
  pageInfo: RunsPage['pageInfo'];
  error: CombinedError | null;
}

/** Runs, newest first, filtered by workflow and status; "Load more" appends pages by cursor. */
export function useRuns(workflowId: string | null, status: RunStatus | null) {
  const client = useClient();
  const key = `${workflowId ?? ''}:${status ?? ''}`;
  const variables = useMemo(() => ({ first: RUNS_PAGE_SIZE, after: null, workflowId, status }), [workflowId, status]);
  const context = useMemo(() => ({ additionalTypenames: ['Run'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: RunsQuery, variables, context });
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data?.runs;
  const extra = more && more.client === client && more.key === key ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const runs = useMemo(() => {
    const byId = new Map<string, RunSummary>();
    for (const run of [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.runs ?? [])]) if (!byId.has(run.id)) byId.set(run.id, run);
    return [...byId.values()];
  }, [first, extra]);

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(RunsQuery, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data?.runs;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.key === key ? prev : null;
      return {
        client,
        key,
        runs: [...(kept?.runs ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    runs,
    hasNextPage: pageInfo?.hasNextPage ?? false,
    loading: fetching && !data,
    fetching,
    loadingMore,
    error: error ?? extra?.error ?? null,
    loadMore: () => void loadMore(),
    /** The first page again, quietly (live updates); loaded pages stay. */
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
    reload: () => {
      setMore(null);
      reexecute({ requestPolicy: 'network-only' });
    },
  };
}
