import { useMemo, useState } from 'react';
import { useClient, useQuery, type Client, type CombinedError } from 'urql';
import { AuditLogQuery, type AuditEntry, type AuditLogPage } from '../api/audit-log.api';

export const AUDIT_PAGE_SIZE = 25;

interface MorePages {
  client: Client;
  filter: string | null;
  entries: AuditEntry[];
  pageInfo: AuditLogPage['pageInfo'];
  error: CombinedError | null;
}

/**
 * The first page is an ordinary query (it refetches when the filter or organization changes);
 * "Load more" appends pages by cursor. Pages loaded for another filter or client are ignored.
 */
export function useAuditLog(action: string) {
  const client = useClient();
  const filter = action.trim() || null;
  const variables = useMemo(() => ({ first: AUDIT_PAGE_SIZE, after: null, action: filter }), [filter]);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: AuditLogQuery, variables, requestPolicy: 'network-only' });
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data?.auditLog;
  const extra = more && more.client === client && more.filter === filter ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const entries = useMemo(
    () => [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.entries ?? [])],
    [first, extra],
  );

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(AuditLogQuery, { first: AUDIT_PAGE_SIZE, after, action: filter }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data?.auditLog;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.filter === filter ? prev : null;
      return {
        client,
        filter,
        entries: [...(kept?.entries ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    entries,
    hasNextPage: pageInfo?.hasNextPage ?? false,
    loading: fetching && !data,
    loadingMore,
    error: error ?? extra?.error ?? null,
    loadMore: () => void loadMore(),
    reload: () => {
      setMore(null);
      reexecute({ requestPolicy: 'network-only' });
    },
  };
}
