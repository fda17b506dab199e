import { Anchor, Button, Card, Table, Text, Tooltip } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { RunStatusBadge } from '../../../components/run-status-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { runDurationMs } from '../../../editor/core/run-status';
import { formatDateTime, formatDuration, formatRelative, formatUsd } from '../../../lib/format';
import { WorkflowRunsQuery } from '../api/workflows.api';

const RECENT = 20;

/** The workflow's latest runs, newest first, with a link to all of them in /runs. */
export function WorkflowRunsTab({ workflowId }: { workflowId: string }) {
  const [{ data, error }, reexecute] = useQuery({ query: WorkflowRunsQuery, variables: { id: workflowId, first: RECENT }, requestPolicy: 'cache-and-network' });
  if (error && !data) return <ErrorAlert error={error} title="Could not load the runs" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <TableSkeleton rows={4} />;
  const runs = data.workflow?.runs.edges.map((e) => e.node) ?? [];
  if (runs.length === 0) {
    return (
      <Card withBorder radius="md">
        <EmptyState icon={IconTimeline} title="No runs yet" description="Start one with Run; its progress shows in the run monitor." testId="workflow-runs-empty" />
      </Card>
    );
  }
  return (
    <Card withBorder radius="md" padding={0} data-testid="workflow-runs">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Run</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Version</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Cost</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((run) => {
              const duration = runDurationMs(run);
              return (
                <Table.Tr key={run.id} data-testid={`workflow-run-row-${run.id}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/runs/${encodeURIComponent(run.id)}`} fz="sm" ff="monospace">
                      {run.id.slice(-8)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <RunStatusBadge status={run.status} />
                  </Table.Td>
                  <Table.Td fz="sm" tt="capitalize">
                    {run.trigger.toLowerCase()}
                  </Table.Td>
                  <Table.Td fz="sm">v{run.workflowVersion}</Table.Td>
                  <Table.Td fz="sm" c="dimmed">
                    <Tooltip label={formatDateTime(run.startedAt ?? run.createdAt)} withArrow>
                      <Text span fz="sm">
                        {formatRelative(run.startedAt ?? run.createdAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td fz="sm">{duration === null ? '—' : formatDuration(duration)}</Table.Td>
                  <Table.Td fz="sm">{formatUsd(run.costUsd)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Button component={Link} to={`/runs?workflowId=${encodeURIComponent(workflowId)}`} variant="subtle" m="sm" data-testid="workflow-all-runs">
        All runs of this workflow
      </Button>
    </Card>
  );
}
