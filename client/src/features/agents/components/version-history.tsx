import { Table } from '@mantine/core';
import { useQuery } from 'urql';
import { VersionDiffResult, VersionHistory as SharedVersionHistory, type VersionColumn } from '../../../components/version-history';
import { AgentVersionDiffQuery, type Agent, type AgentVersionSummary } from '../api/agents.api';
import { AgentStatusBadge } from './agent-status-badge';
import { VersionDiffTable } from './version-diff-table';

function VersionDiff({ agentId, from, to }: { agentId: string; from: number; to: number }) {
  const [{ data, error }, reexecute] = useQuery({ query: AgentVersionDiffQuery, variables: { agentId, from, to } });
  return (
    <VersionDiffResult from={from} to={to} changes={data?.agentVersionDiff.changes} error={error} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(changes) => <VersionDiffTable changes={changes} />}
    </VersionDiffResult>
  );
}

const COLUMNS: VersionColumn<AgentVersionSummary>[] = [
  {
    header: 'Status',
    cell: (v) => (
      <Table.Td>
        <AgentStatusBadge status={v.status} />
      </Table.Td>
    ),
  },
];

/** Every saved version, newest first, and what changed between any two of them. */
export function VersionHistory({ agent }: { agent: Pick<Agent, 'id' | 'version' | 'versions'> }) {
  return (
    <SharedVersionHistory
      versions={agent.versions}
      currentVersion={agent.version}
      columns={COLUMNS}
      minWidth={480}
      renderDiff={(from, to) => <VersionDiff agentId={agent.id} from={from} to={to} />}
    />
  );
}
