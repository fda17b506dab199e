import { useMemo, useState } from 'react';
import { useClient, useQuery, type Client, type CombinedError } from 'urql';
import { AgentsQuery, type AgentStatus, type AgentSummary, type AgentsPage } from '../api/agents.api';

export const AGENTS_PAGE_SIZE = 25;

interface MorePages {
  client: Client;
  key: string;
  agents: AgentSummary[];
  pageInfo: AgentsPage['pageInfo'];
  error: CombinedError | null;
}

/**
 * Agents, newest updated first. The first page is an ordinary query that refetches when the
 * filter, the organization or an agent changes; "Load more" appends pages by cursor, and pages
 * loaded for another filter or client are dropped.
 */
export function useAgents(status: AgentStatus | null, search: string) {
  const client = useClient();
  const term = search.trim() || null;
  const key = `${status ?? ''}:${term ?? ''}`;
  const variables = useMemo(() => ({ first: AGENTS_PAGE_SIZE, after: null, status, search: term }), [status, term]);
  const context = useMemo(() => ({ additionalTypenames: ['Agent'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: AgentsQuery, variables, context });
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data?.agents;
  const extra = more && more.client === client && more.key === key ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const agents = useMemo(() => {
    const all = [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.agents ?? [])];
    // An agent updated while paging moves to the first page: show it once.
    const byId = new Map<string, AgentSummary>();
    for (const agent of all) if (!byId.has(agent.id)) byId.set(agent.id, agent);
    return [...byId.values()];
  }, [first, extra]);

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(AgentsQuery, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data?.agents;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.key === key ? prev : null;
      return {
        client,
        key,
        agents: [...(kept?.agents ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    agents,
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
