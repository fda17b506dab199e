import { useMemo } from 'react';
import { Badge } from '@mantine/core';
import { useQuery } from 'urql';
import { PendingApprovalCountQuery } from '../api/runs.api';
import { useDebouncedRefresh, useOrganizationRunEvents } from '../hooks/use-organization-run-events';
import { affectsApprovals } from './approvals-inbox';

/** How many approvals wait for the caller, for the navigation; nothing when none (or unknown). */
export function ApprovalsCountBadge() {
  const context = useMemo(() => ({ additionalTypenames: ['Approval'] }), []);
  const [{ data }, reexecute] = useQuery({ query: PendingApprovalCountQuery, context });
  const refresh = useDebouncedRefresh(() => reexecute({ requestPolicy: 'network-only' }), 500);
  useOrganizationRunEvents((event) => {
    if (affectsApprovals(event.type)) refresh();
  });
  const count = data?.pendingApprovals.length ?? 0;
  if (count === 0) return null;
  return (
    <Badge size="sm" color="orange" variant="filled" circle={count < 10} data-testid="nav-approvals-count" aria-label={`${count} waiting`}>
      {count}
    </Badge>
  );
}
