import { Anchor, Code, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { ListTable } from '../../../components/list-table';
import { RelativeTimeCell } from '../../../components/relative-time-cell';
import type { AgentSummary, Model } from '../api/agents.api';
import { AgentStatusBadge } from './agent-status-badge';
import { modelLabel } from './model-format';

export const agentPath = (id: string) => `/agents/${encodeURIComponent(id)}`;

const HEADERS = ['Name', 'Role', 'Model', 'Status', 'Version', 'Updated'];

export function AgentsTable({ agents, models }: { agents: AgentSummary[]; models: readonly Model[] | undefined }) {
  return (
    <ListTable minWidth={760} testId="agents-table" headers={HEADERS}>
      {agents.map((agent) => (
        <Table.Tr key={agent.id} data-testid={`agent-row-${agent.name}`}>
          <Table.Td>
            <Anchor component={Link} to={agentPath(agent.id)} fz="sm" fw={600} data-testid="agent-link">
              {agent.name}
            </Anchor>
          </Table.Td>
          <Table.Td fz="sm" c="dimmed" maw={320}>
            <Text fz="sm" c="dimmed" truncate>
              {agent.role || '—'}
            </Text>
          </Table.Td>
          <Table.Td>
            <Tooltip label={agent.model} withArrow disabled={agent.model === 'auto'}>
              <Code fz="xs">{modelLabel(models, agent.model)}</Code>
            </Tooltip>
          </Table.Td>
          <Table.Td>
            <AgentStatusBadge status={agent.status} />
          </Table.Td>
          <Table.Td fz="sm" c="dimmed">
            v{agent.version}
          </Table.Td>
          <RelativeTimeCell at={agent.updatedAt} />
        </Table.Tr>
      ))}
    </ListTable>
  );
}
