import { Badge } from '@mantine/core';
import type { AgentStatus } from '../api/agents.api';

export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = { ACTIVE: 'Active', INACTIVE: 'Inactive', ARCHIVED: 'Archived' };
const COLORS: Record<AgentStatus, string> = { ACTIVE: 'teal', INACTIVE: 'gray', ARCHIVED: 'orange' };

export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" size="sm" data-testid="agent-status-badge">
      {AGENT_STATUS_LABELS[status]}
    </Badge>
  );
}
