import { Anchor, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime, formatRelative } from '../../../lib/format';
import type { WorkflowSummary } from '../api/workflows.api';
import { WorkflowStatusBadge } from './workflow-status-badge';

export const workflowPath = (id: string) => `/workflows/${encodeURIComponent(id)}`;

export function WorkflowsTable({ workflows }: { workflows: WorkflowSummary[] }) {
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="workflows-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {workflows.map((workflow) => (
            <Table.Tr key={workflow.id} data-testid={`workflow-row-${workflow.name}`} data-workflow-id={workflow.id}>
              <Table.Td maw={420}>
                <Anchor component={Link} to={workflowPath(workflow.id)} fz="sm" fw={600} data-testid="workflow-link">
                  {workflow.name}
                </Anchor>
                {workflow.description ? (
                  <Text fz="xs" c="dimmed" truncate>
                    {workflow.description}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <WorkflowStatusBadge status={workflow.status} />
              </Table.Td>
              <Table.Td fz="sm" c="dimmed">
                v{workflow.version}
              </Table.Td>
              <Table.Td fz="sm" c="dimmed">
                <Tooltip label={formatDateTime(workflow.updatedAt)} withArrow>
                  <Text span fz="sm">
                    {formatRelative(workflow.updatedAt)}
                  </Text>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
