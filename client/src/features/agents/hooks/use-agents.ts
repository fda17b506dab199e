import { useMemo } from 'react';
import { useConnectionPages } from '../../../lib/use-connection-pages';
import { AgentsQuery, type AgentStatus } from '../api/agents.api';

export const AGENTS_PAGE_SIZE = 25;

/**
 * Agents, newest updated first. The first page is an ordinary query that refetches when the
 * filter, the organization or an agent changes; "Load more" appends pages by cursor, and pages
 * loaded for another filter or client are dropped.
 */
export function useAgents(status: AgentStatus | null, search: string) {
  const term = search.trim() || null;
  const variables = useMemo(() => ({ first: AGENTS_PAGE_SIZE, after: null, status, search: term }), [status, term]);
  const context = useMemo(() => ({ additionalTypenames: ['Agent'] }), []);
  const { nodes: agents, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useConnectionPages({
    query: AgentsQuery,
    variables,
    context,
    key: `${status ?? ''}:${term ?? ''}`,
    connection: (data) => data.agents,
    // An agent updated while paging moves to the first page: show it once.
    dedupeById: true,
  });
  return { agents, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload };
}
