import { useMemo } from 'react';
import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { PendingApprovalsQuery } from '../api/runs.api';
import { useDebouncedRefresh, useOrganizationRunEvents } from '../hooks/use-organization-run-events';
import { ApprovalDecision } from './approval-decision';

/** Events after which the inbox may have changed. */
export function affectsApprovals(type: string): boolean {
  return type.startsWith('approval.') || type === 'run.waiting' || type === 'run.cancelled' || type === 'run.failed' || type === 'run.succeeded';
}

/** /approvals: the approvals the caller may decide, oldest first, live. */
export function ApprovalsInbox({ canDecide }: { canDecide: boolean }) {
  const context = useMemo(() => ({ additionalTypenames: ['Approval'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: PendingApprovalsQuery, context });
  const refresh = useDebouncedRefresh(() => reexecute({ requestPolicy: 'network-only' }), 500);
  useOrganizationRunEvents((event) => {
    if (affectsApprovals(event.type)) refresh();
  });

  if (error && !data) return <ErrorAlert error={error} title="Could not load the approvals" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <TableSkeleton rows={4} />;
  const approvals = data.pendingApprovals;
  if (approvals.length === 0) {
    return (
      <Card withBorder radius="md">
        <EmptyState
          icon={IconChecklist}
          title="Nothing to approve"
          description="When a workflow reaches an approval step you may decide, it waits here until you approve or reject it."
          testId="approvals-empty"
        />
      </Card>
    );
  }
  return (
    <Stack gap="md" data-testid="approvals-inbox">
      {approvals.map((approval) => (
        <Card key={approval.id} withBorder radius="md" padding="lg" data-testid={`approval-${approval.id}`} data-node-id={approval.nodeId} data-run-id={approval.run.id}>
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start">
              <Stack gap={2}>
                <Anchor component={Link} to={`/workflows/${encodeURIComponent(approval.run.workflow.id)}`} fw={600} data-testid="approval-workflow-link">
                  {approval.run.workflow.name}
                </Anchor>
                <Text fz="xs" c="dimmed">
                  Step <code>{approval.nodeId}</code> ·{' '}
                  <Anchor component={Link} to={`/runs/${encodeURIComponent(approval.run.id)}`} fz="xs" data-testid="approval-run-link">
                    open the run
                  </Anchor>
                </Text>
              </Stack>
              <Badge color="orange" variant="light">
                Waiting
              </Badge>
            </Group>
            <ApprovalDecision approval={approval} canDecide={canDecide} onDecided={() => reexecute({ requestPolicy: 'network-only' })} />
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
