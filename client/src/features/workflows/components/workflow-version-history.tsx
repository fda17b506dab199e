import { Table } from '@mantine/core';
import { useQuery } from 'urql';
import { VersionDiffResult, VersionHistory, type VersionColumn } from '../../../components/version-history';
import { WorkflowVersionDiffQuery, type Workflow, type WorkflowVersionSummary } from '../api/workflows.api';
import { WorkflowDiffTable } from './workflow-diff-table';
import { WorkflowStatusBadge } from './workflow-status-badge';

function VersionDiff({ workflowId, from, to }: { workflowId: string; from: number; to: number }) {
  const [{ data, error }, reexecute] = useQuery({ query: WorkflowVersionDiffQuery, variables: { workflowId, from, to } });
  return (
    <VersionDiffResult from={from} to={to} changes={data?.workflowVersionDiff.changes} error={error} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(changes) => <WorkflowDiffTable changes={changes} />}
    </VersionDiffResult>
  );
}

const COLUMNS: VersionColumn<WorkflowVersionSummary>[] = [
  { header: 'Name', cell: (v) => <Table.Td fz="sm">{v.name}</Table.Td> },
  {
    header: 'Status',
    cell: (v) => (
      <Table.Td>
        <WorkflowStatusBadge status={v.status} />
      </Table.Td>
    ),
  },
];

/** Every saved version, newest first, and what changed between any two of them. */
export function WorkflowVersionHistory({ workflow }: { workflow: Pick<Workflow, 'id' | 'version' | 'versions'> }) {
  return (
    <VersionHistory
      versions={workflow.versions}
      currentVersion={workflow.version}
      columns={COLUMNS}
      minWidth={520}
      renderDiff={(from, to) => <VersionDiff workflowId={workflow.id} from={from} to={to} />}
    />
  );
}
