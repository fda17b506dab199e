import { useMemo } from 'react';
import { useConnectionPages } from '../../../lib/use-connection-pages';
import { AuditLogQuery } from '../api/audit-log.api';

export const AUDIT_PAGE_SIZE = 25;

/**
 * The first page is an ordinary query (it refetches when the filter or organization changes);
 * "Load more" appends pages by cursor. Pages loaded for another filter or client are ignored.
 */
export function useAuditLog(action: string) {
  const filter = action.trim() || null;
  const variables = useMemo(() => ({ first: AUDIT_PAGE_SIZE, after: null, action: filter }), [filter]);
  const { nodes: entries, hasNextPage, loading, loadingMore, error, loadMore, reload } = useConnectionPages({
    query: AuditLogQuery,
    variables,
    requestPolicy: 'network-only',
    // `filter` is never '' (trimmed or null), so this key tells the filters apart.
    key: filter ?? '',
    connection: (data) => data.auditLog,
  });
  return { entries, hasNextPage, loading, loadingMore, error, loadMore, reload };
}
