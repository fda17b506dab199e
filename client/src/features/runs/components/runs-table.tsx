import { Anchor, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { RunStatusBadge } from '../../../components/run-status-badge';
import { runDurationMs } from '../../../editor/core/run-status';
import { formatDateTime, formatDuration, formatRelative, formatUsd } from '../../../lib/format';
import type { RunSummary } from '../api/runs.api';

export const runPath = (id: string) => `/runs/${encodeURIComponent(id)}`;

export function RunsTable({ runs }: { runs: RunSummary[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="runs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Workflow</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => {
            const duration = runDurationMs(run);
            const started = run.startedAt ?? run.createdAt;
            return (
              <Table.Tr key={run.id} data-testid={`run-row-${run.id}`} data-workflow={run.workflow.name} data-status={run.status}>
                <Table.Td>
                  <Anchor component={Link} to={runPath(run.id)} fz="sm" fw={600} data-testid="run-link">
                    {run.workflow.name}
                  </Anchor>
                  <Text fz="xs" c="dimmed">
                    v{run.workflowVersion} · {run.id.slice(-8)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <RunStatusBadge status={run.status} />
                  {run.errorCode ? (
                    <Text fz="xs" c="red">
                      {run.errorCode}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td fz="sm" tt="capitalize">
                  {run.trigger.toLowerCase()}
                </Table.Td>
                <Table.Td fz="sm" c="dimmed">
                  <Tooltip label={formatDateTime(started)} withArrow>
                    <Text span fz="sm">
                      {formatRelative(started)}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td fz="sm">{duration === null ? '—' : formatDuration(duration)}</Table.Td>
                <Table.Td fz="sm">
                  <Tooltip label={`${run.inputTokens.toLocaleString()} tokens in, ${run.outputTokens.toLocaleString()} out`} withArrow>
                    <Text span fz="sm">
                      {formatUsd(run.costUsd)}
                    </Text>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
