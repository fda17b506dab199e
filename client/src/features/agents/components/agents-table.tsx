import { Anchor, Code, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime, formatRelative } from '../../../lib/format';
import type { AgentSummary, Model } from '../api/agents.api';
import { AgentStatusBadge } from './agent-status-badge';
import { modelLabel } from './model-format';

export const agentPath = (id: string) => `/agents/${encodeURIComponent(id)}`;

export function AgentsTable({ agents, models }: { agents: AgentSummary[]; models: readonly Model[] | undefined }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="agents-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
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
              <Table.Td fz="sm" c="dimmed">
                <Tooltip label={formatDateTime(agent.updatedAt)} withArrow>
                  <Text span fz="sm">
                    {formatRelative(agent.updatedAt)}
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
