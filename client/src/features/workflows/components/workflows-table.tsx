import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ListTable } from '../../../components/list-table';
import { RelativeTimeCell } from '../../../components/relative-time-cell';
import type { WorkflowSummary } from '../api/workflows.api';
import { WorkflowStatusBadge } from './workflow-status-badge';

export const workflowPath = (id: string) => `/workflows/${encodeURIComponent(id)}`;

const HEADERS = ['Name', 'Status', 'Version', 'Updated'];

export function WorkflowsTable({ workflows }: { workflows: WorkflowSummary[] }) {
  return (
    <ListTable minWidth={680} testId="workflows-table" headers={HEADERS}>
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
          <RelativeTimeCell at={workflow.updatedAt} />
        </Table.Tr>
      ))}
    </ListTable>
  );
}
